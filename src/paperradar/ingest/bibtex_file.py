"""Read a Zotero/BibTeX export (bibtexparser 2.x) into the keys a paper can be matched by.

arXiv ids come from `eprint` (Zotero and arXiv's own exports), from an arxiv.org `url`, or from an
"arXiv:ID" in `note`, `journal` or `howpublished` (Google Scholar's style); then DOI; then title.
A file that does not parse whole is refused with the entry and line of its first problem, so an
import either reads every entry or changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock

from paperradar.errors import InputError
from paperradar.models import fingerprint, normalise_arxiv_id, normalise_doi

MAX_BYTES = 5_000_000
MAX_ENTRIES = 5_000
_ARXIV_IN_TEXT = re.compile(r"arxiv(?:\.org/(?:abs|pdf)/|:\s*)([a-z\-.]*/?\d{4}\.?\d{3,5}(?:v\d+)?)", re.IGNORECASE)
_BRACES = re.compile(r"[{}\\]")
_KEY = re.compile(r"\s*@\w+\s*[{(]\s*([^,\s]{1,100})")


@dataclass(frozen=True, slots=True)
class BibEntry:
    key: str
    line: int  # 1-based line where the entry starts
    title: str
    arxiv_id: str | None
    doi: str | None
    year: int | None

    @property
    def title_fingerprint(self) -> str:
        return fingerprint(self.title)


def _arxiv(fields: dict[str, str]) -> str | None:
    eprint = fields.get("eprint", "")
    prefix = fields.get("archiveprefix", fields.get("eprinttype", "")).lower()
    if eprint and (prefix in ("", "arxiv")) and normalise_arxiv_id(eprint):
        return normalise_arxiv_id(eprint)
    for name in ("url", "note", "journal", "howpublished", "eprint"):
        match = _ARXIV_IN_TEXT.search(fields.get(name, ""))
        if match and normalise_arxiv_id(match.group(1)):
            return normalise_arxiv_id(match.group(1))
    return None


def read_bibtex(text: str) -> list[BibEntry]:
    """Every entry of a .bib file; an InputError naming the entry and line when any cannot be read."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise InputError(f"bibtex: the file is larger than {MAX_BYTES // 1_000_000} MB")
    library = bibtexparser.parse_string(text)
    for block in library.failed_blocks:
        where = f"line {(block.start_line or 0) + 1}"
        if isinstance(block, DuplicateBlockKeyBlock):
            raise InputError(f"bibtex {where}: entry {block.key!r} appears twice", hint="keys must be unique")
        reason = (
            (str(getattr(block, "error", "")).splitlines() or [""])[0] if isinstance(block, ParsingFailedBlock) else ""
        )
        key = _KEY.match(getattr(block, "raw", "") or "")
        named = f" {key.group(1)!r}" if key else ""
        raise InputError(f"bibtex {where}: cannot read the entry{named} ({reason or 'unclosed brace or quote'})")
    if len(library.entries) > MAX_ENTRIES:
        raise InputError(f"bibtex: {len(library.entries)} entries; at most {MAX_ENTRIES} at a time")
    found = []
    for entry in library.entries:
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        title = " ".join(_BRACES.sub("", fields.get("title", "")).split())
        year = fields.get("year", "").strip()
        found.append(
            BibEntry(
                key=entry.key,
                line=(entry.start_line or 0) + 1,
                title=title,
                arxiv_id=_arxiv(fields),
                doi=normalise_doi(fields.get("doi")),
                year=int(year) if year.isdigit() and len(year) == 4 else None,
            )
        )
    return found
