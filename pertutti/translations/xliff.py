"""XLIFF 2.0 and 1.2 files for translators' CAT tools.

Export: the Italian of every text to translate, one unit each, with the previous
translation (if any) as a note, never as a target: an untouched target must not
come back as a translation of a text it was not made for.
Import: parsed with defusedxml (no DTDs, no entity expansion, no external entities).
"""

from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.conf import settings

XLIFF_20 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
VERSIONS = ("2.0", "1.2")


class XliffError(ValueError):
    """The file as a whole cannot be used; nothing was imported."""


def max_bytes() -> int:
    """The largest file accepted: the site's upload limit, for the workspace and the command
    alike (a setting, not a constant here, so the two can never disagree)."""
    return settings.PERTUTTI_MAX_UPLOAD_BYTES


@dataclass(frozen=True)
class ExportUnit:
    id: str
    name: str  # human-readable: "service LPT-001 description"
    source: str
    previous: str  # the translation of an older Italian text, or ""


@dataclass(frozen=True)
class ImportUnit:
    id: str
    source: str
    target: str


@dataclass(frozen=True)
class XliffFile:
    version: str
    source_language: str
    target_language: str
    units: list[ImportUnit]


def export_xliff(
    *,
    units: list[ExportUnit],
    source_language: str,
    target_language: str,
    file_id: str,
    version: str = "2.0",
    targets: dict[str, str] | None = None,
) -> bytes:
    """`targets` pre-fills targets by unit id (used to ship reviewed demo translations)."""
    targets = targets or {}
    if version == "2.0":
        root = Element(
            "xliff",
            {"xmlns": XLIFF_20, "version": "2.0", "srcLang": source_language,
             "trgLang": target_language},
        )  # fmt: skip
        file = SubElement(root, "file", {"id": file_id})
        for unit in units:
            element = SubElement(file, "unit", {"id": unit.id, "name": unit.name})
            if unit.previous:
                notes = SubElement(element, "notes")
                note = SubElement(notes, "note", {"category": "previous-translation"})
                note.text = unit.previous
            segment = SubElement(element, "segment", {"state": "initial"})
            SubElement(segment, "source").text = unit.source
            if unit.id in targets:
                segment.set("state", "translated")
                SubElement(segment, "target").text = targets[unit.id]
    elif version == "1.2":
        root = Element("xliff", {"xmlns": XLIFF_12, "version": "1.2"})
        file = SubElement(
            root,
            "file",
            {"original": file_id, "source-language": source_language,
             "target-language": target_language, "datatype": "plaintext"},
        )  # fmt: skip
        body = SubElement(file, "body")
        for unit in units:
            element = SubElement(
                body, "trans-unit", {"id": unit.id, "resname": unit.name, "xml:space": "preserve"}
            )
            SubElement(element, "source").text = unit.source
            if unit.id in targets:
                SubElement(element, "target", {"state": "translated"}).text = targets[unit.id]
            if unit.previous:
                note = SubElement(element, "note", {"from": "previous-translation"})
                note.text = unit.previous
    else:
        raise XliffError(f"unsupported XLIFF version {version!r}: use 2.0 or 1.2")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode()


def _text(element: Element | None) -> str:
    # Inline codes (<ph/>, <g>) become their text: we store plain text only.
    return "".join(element.itertext()) if element is not None else ""


def parse_xliff(data: bytes) -> XliffFile:
    limit = max_bytes()
    if len(data) > limit:
        raise XliffError(f"file too large: {len(data)} bytes, at most {limit}")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException) as exc:
        raise XliffError(f"not a valid XML file: {exc}") from exc
    except ValueError as exc:  # e.g. a DTD, which defusedxml refuses
        raise XliffError(f"not a valid XML file: {exc}") from exc
    if root.tag == f"{{{XLIFF_20}}}xliff":
        ns = {"x": XLIFF_20}
        units = [
            ImportUnit(
                id=unit.get("id", ""),
                source=" ".join(_text(s) for s in unit.findall("x:segment/x:source", ns)),
                target=" ".join(_text(t) for t in unit.findall("x:segment/x:target", ns)),
            )
            for unit in root.iterfind(".//x:unit", ns)
        ]
        return XliffFile("2.0", root.get("srcLang", ""), root.get("trgLang", ""), units)
    if root.tag == f"{{{XLIFF_12}}}xliff":
        ns = {"x": XLIFF_12}
        files = root.findall("x:file", ns)
        languages = {f.get("target-language", "") for f in files}
        if len(languages) > 1:
            raise XliffError("the file mixes several target languages")
        units = [
            ImportUnit(
                id=unit.get("id", ""),
                source=_text(unit.find("x:source", ns)),
                target=_text(unit.find("x:target", ns)),
            )
            for unit in root.iterfind(".//x:trans-unit", ns)
        ]
        source_languages = {f.get("source-language", "") for f in files}
        return XliffFile("1.2", next(iter(source_languages), ""), next(iter(languages), ""), units)
    raise XliffError("not an XLIFF 2.0 or 1.2 file (unknown root element or namespace)")
