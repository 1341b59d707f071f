"""All settings in one declarative table: environment variables PAPERRADAR_*, an optional TOML file,
and CLI flags (which win). Built once at start-up and passed down; nothing else reads os.environ."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from paperradar.clock import Clock, parse_start
from paperradar.errors import ConfigError


def _default_home() -> Path:
    return Path("~/.local/share/paperradar").expanduser()


class Settings(BaseSettings):
    """Each field is one setting; its description is the help text docs/settings.md is generated from."""

    model_config = SettingsConfigDict(env_prefix="PAPERRADAR_", extra="forbid", validate_default=True)

    home: Path = Field(default_factory=_default_home, description="Folder for the default database and indexes.")
    database_url: str | None = Field(
        default=None,
        description=(
            "Database to use: sqlite:///path/to/paperradar.db or postgresql://user@host/dbname. "
            "Default: paperradar.db under home."
        ),
    )
    host: str = Field(default="127.0.0.1", description="Address `paperradar serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `paperradar serve` listens on.")
    web_workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Processes `paperradar serve` runs (one per core is a good start; see docs/deploying.md).",
    )
    page_size: int = Field(default=25, ge=1, le=200, description="Results per page in the web UI.")
    max_request_body: int = Field(
        default=6_000_000,
        ge=10_000,
        le=1_000_000_000,
        description="Largest request body (bytes) the web app reads; a bigger one is refused with 413 before "
        "it is read (a BibTeX import is at most 5 MB of it).",
    )
    request_budget: float = Field(
        default=30.0,
        ge=0,
        le=3_600,
        description="Seconds a web request may spend: a database query still running then is stopped and the "
        "request answered with 503 and Retry-After (0: no limit). Commands and the worker have no such limit.",
    )
    request_lock_wait: float = Field(
        default=3.0,
        ge=0,
        le=600,
        description="Seconds a web request that writes (a sign-up, a save, a vote) waits for another process "
        "writing (an import's batch, a sync) before it is answered with 503 and Retry-After.",
    )
    cors_origins: str = Field(
        default="",
        max_length=4000,
        description="Origins (comma-separated, e.g. https://a.example,https://b.example, or *) whose pages may "
        "call the JSON API from a browser. Empty: none (CORS off).",
    )
    embedder: str = Field(
        default="minilm",
        pattern=r"^(minilm|hashing)$",
        description="Embedding model: minilm (all-MiniLM-L6-v2, offline) or hashing (a stand-in for tests).",
    )
    embed_precision: str = Field(
        default="auto",
        pattern=r"^(auto|bf16|fp32)$",
        description="Model precision: auto (bf16 where the CPU has native bf16, else fp32), bf16 or fp32.",
    )
    _clock: Clock | None = PrivateAttr(default=None)
    config: Path | None = Field(default=None, description="A TOML file of settings (keys as here, lower case).")
    clock_start: str | None = Field(
        default=None,
        pattern=r"^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d)?(Z|[+-]\d\d:\d\d)?)?$",
        description="Start the clock at this UTC instant (2026-06-02 or 2026-06-02T06:00Z) and run it forward "
        "from there, for simulations and replays. Unset: the system clock. Every date is a UTC date.",
    )

    # -- live sources (docs/sources.md) -------------------------------------------------------------
    contact_email: str | None = Field(
        default=None,
        description="Your email, sent in the User-Agent of every request to a live source (arXiv asks for one). "
        "Required by `paperradar sync` and `paperradar worker`.",
    )
    arxiv_oai_url: str = Field(default="https://oaipmh.arxiv.org/oai", description="arXiv's OAI-PMH endpoint.")
    arxiv_api_url: str = Field(default="https://export.arxiv.org/api/query", description="arXiv's search API.")
    hf_url: str = Field(default="https://huggingface.co", description="Hugging Face, for its daily papers.")
    openalex_url: str = Field(default="https://api.openalex.org", description="OpenAlex's API.")
    s2_url: str = Field(default="https://api.semanticscholar.org", description="Semantic Scholar's API.")
    openalex_api_key: str | None = Field(default=None, description="OpenAlex API key (required since Feb 2026).")
    s2_api_key: str | None = Field(default=None, description="Semantic Scholar API key (optional; raises the rate).")
    arxiv_set: str = Field(default="cs", description="The arXiv OAI-PMH set `paperradar sync arxiv` harvests.")
    citations_source: Literal["openalex", "s2"] = Field(
        default="openalex",
        description="Preferred citation source: its latest count is the one papers show and best-of lists rank by.",
    )
    citations_stale_after: int = Field(
        default=7, ge=0, le=3650, description="Days after which `sync citations` refreshes a paper's count."
    )
    http_max_retries: int = Field(default=4, ge=0, le=20, description="Retries of a failing request to a source.")
    http_min_interval: float | None = Field(
        default=None,
        ge=0,
        le=60,
        description="Seconds between requests to one host; default: each service's own ask (arXiv 3 s). "
        "Lower it only for a mirror of your own.",
    )
    http_timeout: float = Field(
        default=30.0, gt=0, le=600, description="Seconds a request to a source may take before it is retried."
    )
    worker_arxiv_at: str = Field(
        default="01:30", pattern=r"^\d\d:\d\d$", description="UTC time the worker syncs arXiv (after the announcement)."
    )
    worker_hf_at: str = Field(
        default="07:00", pattern=r"^\d\d:\d\d$", description="UTC time the worker syncs Hugging Face daily papers."
    )
    worker_citations_at: str = Field(
        default="03:00", pattern=r"^\d\d:\d\d$", description="UTC time the worker refreshes stale citation counts."
    )
    worker_retries: int = Field(
        default=2, ge=0, le=10, description="Times the worker tries a job again, the same day, when it stopped early."
    )
    worker_retry_pause: float = Field(
        default=300.0, ge=0, le=3600, description="Seconds the worker waits before trying a stopped job again."
    )

    secret_key: str | None = Field(
        default=None,
        min_length=16,
        description="The key that signs session cookies, CSRF tokens and emailed links. Default: a random key "
        "kept in `secret_key` under home. Set the same value on every machine that serves one database.",
    )

    # -- email (accounts, the daily digest) ------------------------------------------------------------
    smtp_url: str | None = Field(
        default=None,
        description="Where email goes: smtp://host:port (a local relay), smtp+starttls://user:pass@host:587 "
        "or smtps://user:pass@host:465. Unset: paperradar sends no email.",
    )
    mail_from: str = Field(
        default="paperradar <paperradar@localhost>", description="The From address of every email paperradar sends."
    )
    public_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
        description="The site's address as readers reach it (https://papers.example.org), for the links in "
        "emails. Default: http://HOST:PORT.",
    )
    digest_at: str = Field(
        default="08:00", pattern=r"^\d\d:\d\d$", description="UTC time the worker sends the daily digest (after syncs)."
    )
    digest_window: Literal["day", "week", "month"] = Field(
        default="day", description="The digest's trending papers: trending over this window ending on its day."
    )
    digest_size: int = Field(default=10, ge=1, le=50, description="Trending papers in each digest.")
    digest_claim_timeout: int = Field(
        default=600,
        ge=30,
        le=86_400,
        description="Seconds after which a digest claimed by a run that never finished it may be sent by "
        "another run (a dead run in the same container or machine is noticed at once). Each send renews its "
        "claim first, and the SMTP client waits at most min(30, this/20) seconds per step.",
    )
    index_write_wait: float = Field(
        default=60.0,
        ge=0,
        le=3_600,
        description="Seconds an import or sync waits for another process writing the keyword index (another "
        "import, or a server catching up) before it stops with a clear message; its papers stay saved.",
    )
    index_follow_interval: float = Field(
        default=5.0,
        ge=0,
        le=3_600,
        description="Seconds between a server's checks for papers changed by other processes that its keyword "
        "index beside it lacks (0: never; searches then see only what imports and syncs on this machine index).",
    )
    digest_batch: int = Field(
        default=200, ge=1, le=5_000, description="Subscribers a digest run claims in one transaction before sending."
    )
    subscribe_rate_limit: str = Field(
        default="5/hour",
        pattern=r"^\d+/(second|minute|hour|day)$",
        description="Subscriptions one IP address may ask for (counted for all web workers), e.g. 5/hour.",
    )
    redis_url: str | None = Field(
        default=None,
        pattern=r"^rediss?://\S+$",
        description="Redis for the rate limits (redis://127.0.0.1:6379/0), shared by every web worker and "
        "machine. Unset: the database counts them (PostgreSQL, or SQLite with several workers), else memory.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto "
        "headers `paperradar serve` believes (e.g. 127.0.0.1). Empty: no proxy, the connection's address counts.",
    )
    allowed_hosts: str = Field(
        default="",
        description="Comma-separated host names the site answers to (papers.example.org, *.example.org); "
        "other Host headers get a 400. Empty: any host (links in emails come from PUBLIC_URL regardless).",
    )

    # -- trending (docs/trending.md) ---------------------------------------------------------------
    trending_weight_upvotes: float = Field(
        default=1.0, ge=0, le=100, description="Trending: weight of log(1 + Hugging Face upvotes)."
    )
    trending_weight_stars: float = Field(
        default=0.5, ge=0, le=100, description="Trending: weight of log(1 + GitHub stars of the paper's code)."
    )
    trending_weight_citations: float = Field(
        default=1.0, ge=0, le=100, description="Trending: weight of log(1 + citations gained in the window)."
    )
    trending_weight_recency: float = Field(
        default=1.0, ge=0, le=100, description="Trending: weight of the decayed age of the paper's listing."
    )
    trending_weight_votes: float = Field(
        default=1.0, ge=0, le=100, description="Trending: weight of log(1 + decayed upvotes by this site's users)."
    )
    trending_weight_saves: float = Field(
        default=0.5, ge=0, le=100, description="Trending: weight of log(1 + decayed saves to this site's libraries)."
    )
    trending_half_life_days: float = Field(
        default=3.0, gt=0, le=365, description="Trending: days after which a signal or listing counts half."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml_path = os.environ.get("PAPERRADAR_CONFIG")
        if toml_path:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(toml_path)))
        return tuple(sources)

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def allowed_host_list(self) -> list[str]:
        return [host.strip() for host in self.allowed_hosts.split(",") if host.strip()]

    @property
    def site_url(self) -> str:
        """The site's address for links in emails and feeds: PUBLIC_URL, else http://HOST:PORT; never a
        request's Host header, which a client chooses."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def clock(self) -> Clock:
        """The clock every part of this process reads (one instance per Settings object)."""
        if self._clock is None:
            self._clock = Clock(parse_start(self.clock_start))
        return self._clock

    @property
    def database(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'paperradar.db'}"


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and config file, with CLI overrides (None values ignored)."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "PAPERRADAR_" + "_".join(str(p) for p in first["loc"]).upper()
        raise ConfigError(f"{name}: {first['msg']}") from None
    except (OSError, ValueError) as exc:  # an unreadable or malformed TOML file
        raise ConfigError(f"PAPERRADAR_CONFIG: {exc}") from None
