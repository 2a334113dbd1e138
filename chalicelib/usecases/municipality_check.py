"""`ulakbel check-config`: is a municipality's folder complete and consistent? (issue 22, docs/municipality.md)

Why a check of its own: each loader fails on first use with the first problem it meets, in the middle of a
request. Onboarding a municipality needs every problem at once, before deploying: each file is read with a
pydantic model (unknown fields are errors, so a misspelt key is not silently ignored) and the files are
checked against each other (a category's department must exist, every mahalle needs a polygon or an
explicit approximate point, every canned reply and staff list names a department, ...). Each problem names
the file and the field.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from pydantic import ValidationError

from ..domain import data_files
from ..domain.municipality_files import (
    TEMPLATE_KEYS, Bilingual, CalendarFile, CannedReply, DemoFile, DepartmentsFile, Institution, StaffMember,
)

@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


@dataclass
class Report:
    folder: Path
    problems: list[Problem] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)  # (file, what it holds) of the files that passed

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, file: str, where: str, message: str) -> None:
        self.problems.append(Problem(file, where, message))


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _pydantic(report: Report, file: str, exc: ValidationError, prefix: str = "") -> None:
    for err in exc.errors():
        where = _where(tuple(err["loc"]))
        report.add(file, f"{prefix}{where}" if where else prefix.rstrip("."), err["msg"])


def _read(report: Report, folder: Path, name: str) -> Any:
    """The parsed file, or None (with a problem) when it is missing or not YAML/JSON."""
    file = data_files.FILES[name]
    path = folder / file
    if not path.is_file():
        report.add(file, "", "dosya yok / file missing")
        return None
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix in (".json", ".geojson"):
            return json.loads(text)
        import yaml

        return yaml.safe_load(text)
    except Exception as exc:  # noqa: BLE001 - any parse error is the file's problem, reported with its position
        report.add(file, "", f"okunamadı / cannot be parsed: {exc}")
        return None


@contextmanager
def _selected(folder: Path) -> Iterator[None]:
    """While compiling: the loaders see `folder` (the taxonomy checks its departments against its own)."""
    saved = (data_files._source, data_files._refresh, data_files._folder, data_files._owner)
    data_files.provide(lambda: {}, None, lambda: folder)
    try:
        yield
    finally:
        data_files.provide(*saved[:3], owner=saved[3])


def check_folder(folder: Path) -> Report:
    """Every problem of a municipality's folder (an empty list: ready to deploy)."""
    report = Report(folder)
    if not folder.is_dir():
        report.add(str(folder), "", "klasör yok / folder not found")
        return report
    with _selected(folder):
        codes = _identity_and_departments(report, folder)
        taxonomy = _taxonomy(report, folder, codes)
        _places(report, folder, taxonomy)
        _calendar(report, folder)
        _templates(report, folder)
        _canned_and_staff(report, folder, codes)
        _demo(report, folder)
    return report


def _identity_and_departments(report: Report, folder: Path) -> set[str]:
    from ..domain.identity import Identity

    raw = _read(report, folder, "identity")
    if raw is not None:
        try:
            who = Identity.model_validate(raw)
            report.facts.append(("municipality.yaml", f"{who.name} / {who.display_name.en}; "
                                                      f"jurisdiction_id {who.open311.jurisdiction_id}"))
        except ValidationError as exc:
            _pydantic(report, "municipality.yaml", exc)
    raw = _read(report, folder, "departments")
    if raw is None:
        return set()
    try:
        doc = DepartmentsFile.model_validate(raw)
    except ValidationError as exc:
        _pydantic(report, "departments.json", exc)
        return set()
    codes = [d.code for d in doc.departments]
    seen: set[str] = set()
    for i, code in enumerate(codes):
        if code in seen:
            report.add("departments.json", f"departments[{i}].code", f"'{code}' iki kez / listed twice")
        seen.add(code)
    for key in ("escalation_department", "outside_department"):
        if getattr(doc, key) not in seen:
            report.add("departments.json", key, f"bilinmeyen müdürlük / unknown department '{getattr(doc, key)}'")
    for channel, code in doc.channel_departments.items():
        if code not in seen:
            report.add("departments.json", f"channel_departments.{channel}",
                       f"bilinmeyen müdürlük / unknown department '{code}'")
    if doc.triage_queue in seen:
        report.add("departments.json", "triage_queue", f"'{doc.triage_queue}' bir müdürlük kodu / is a department code")
    report.facts.append(("departments.json", f"{len(codes)} müdürlük / departments, triage queue {doc.triage_queue}"))
    return seen


def _taxonomy(report: Report, folder: Path, codes: set[str]) -> Any:
    from ..understanding.taxonomy_file import compile_taxonomy

    raw = _read(report, folder, "taxonomy")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        report.add("taxonomy.yaml", "", "bir eşlem olmalı / must be a mapping")
        return None
    before = len(report.problems)
    for i, c in enumerate(raw.get("categories") or []):
        where = f"categories[{i}]" + (f" ({c.get('code')})" if isinstance(c, dict) and c.get("code") else "")
        if not isinstance(c, dict):
            report.add("taxonomy.yaml", where, "bir eşlem olmalı / must be a mapping")
            continue
        if codes and c.get("department") not in codes:
            report.add("taxonomy.yaml", f"{where}.department",
                       f"bilinmeyen müdürlük / unknown department '{c.get('department')}' (departments.json)")
        sla = c.get("sla_hours")
        if sla is None and c.get("sla_days") is None:
            report.add("taxonomy.yaml", f"{where}.sla_hours", "eksik / missing")
        elif sla is not None and (not isinstance(sla, int) or isinstance(sla, bool) or sla <= 0):
            report.add("taxonomy.yaml", f"{where}.sla_hours", f"pozitif tam sayı olmalı / must be a positive integer, "
                                                              f"not {sla!r}")
    for i, o in enumerate((raw.get("routing") or {}).get("overrides") or []):
        dept = ((o or {}).get("set") or {}).get("department")
        if dept and codes and dept not in codes:
            report.add("taxonomy.yaml", f"routing.overrides[{i}].set.department",
                       f"bilinmeyen müdürlük / unknown department '{dept}' (departments.json)")
    if len(report.problems) > before or not codes:
        return None
    try:
        taxonomy = compile_taxonomy(raw, "taxonomy.yaml")
    except Exception as exc:  # noqa: BLE001 - whatever the compiler refuses is this file's problem
        report.add("taxonomy.yaml", "", str(exc).removeprefix("taxonomy.yaml: "))
        return None
    report.facts.append(("taxonomy.yaml", f"{len(taxonomy.categories)} kategori / categories (Open311 services)"))
    return taxonomy


def _places(report: Report, folder: Path, taxonomy: Any) -> None:
    from ..domain.turkish import fold
    from ..understanding.boundaries import compile_boundaries
    from ..understanding.gazetteer_file import compile_gazetteer

    raw_nb, raw_geo = _read(report, folder, "neighbourhoods"), _read(report, folder, "boundaries")
    gazetteer = boundaries = None
    if raw_nb is not None:
        try:
            gazetteer = compile_gazetteer(raw_nb if isinstance(raw_nb, dict) else {}, "neighbourhoods.yaml")
            if not gazetteer.neighbourhoods:
                report.add("neighbourhoods.yaml", "neighbourhoods", "boş / empty")
        except (ValueError, TypeError, AttributeError) as exc:
            report.add("neighbourhoods.yaml", "", str(exc).removeprefix("neighbourhoods.yaml: "))
    if raw_geo is not None:
        try:
            boundaries = compile_boundaries(raw_geo if isinstance(raw_geo, dict) else {}, "boundaries.geojson")
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            report.add("boundaries.geojson", "", str(exc).removeprefix("boundaries.geojson: "))
    if gazetteer is None or boundaries is None:
        return
    polygons = {s.name for s in boundaries.mahalles}
    names = {n.name for n in gazetteer.neighbourhoods}
    for i, n in enumerate(gazetteer.neighbourhoods):
        where = f"neighbourhoods[{i}] ({n.name})"
        if n.name in polygons:
            continue
        if not n.approximate:
            report.add("neighbourhoods.yaml", where, "boundaries.geojson içinde poligonu yok; ekleyin ya da "
                       "approximate: true, within, lat, long yazın / no polygon in boundaries.geojson")
        elif n.within not in polygons:
            report.add("neighbourhoods.yaml", f"{where}.within",
                       f"'{n.within}' poligonlu bir mahalle değil / is not a mahalle with a polygon")
        elif not boundaries.mahalle(n.within).contains(n.long, n.lat):
            report.add("neighbourhoods.yaml", f"{where}.lat/long", f"nokta {n.within} poligonunda değil / "
                                                                   f"the point is not inside {n.within}")
    for name in sorted(polygons - names):
        report.add("boundaries.geojson", f"mahalle {name}", "neighbourhoods.yaml içinde yok / not in neighbourhoods.yaml")
    if not boundaries.districts:
        report.add("boundaries.geojson", "", "ilçe sınırı yok (level: district) / no district outline")
    else:
        for s in boundaries.mahalles:
            lon, lat = s.label
            if not boundaries.in_district(lat, lon):
                report.add("boundaries.geojson", f"mahalle {s.name}", "ilçe sınırı dışında / outside the district")
    if taxonomy is not None:
        known = {fold(n) for n in names}
        for o in taxonomy.overrides:
            for n in sorted(o.neighbourhoods - known):
                report.add("taxonomy.yaml", f"routing.overrides ({o.name}).when.neighbourhoods",
                           f"bilinmeyen mahalle / unknown mahalle '{n}' (neighbourhoods.yaml)")
    report.facts.append(("neighbourhoods.yaml + boundaries.geojson",
                         f"{len(names)} mahalle, {len(polygons)} poligon / polygons"))


def _calendar(report: Report, folder: Path) -> None:
    from zoneinfo import ZoneInfo

    raw = _read(report, folder, "calendar")
    if raw is None:
        return
    try:
        cal = CalendarFile.model_validate(raw)
    except ValidationError as exc:
        _pydantic(report, "calendar.yaml", exc)
        return
    try:
        ZoneInfo(cal.timezone)
    except Exception:  # noqa: BLE001 - ZoneInfoNotFoundError or a malformed key
        report.add("calendar.yaml", "timezone", f"bilinmeyen saat dilimi / unknown time zone {cal.timezone!r}")
    for i, d in enumerate(cal.weekend):
        if not 1 <= d <= 7:
            report.add("calendar.yaml", f"weekend[{i}]", "1 (Pazartesi) .. 7 (Pazar) olmalı / must be 1..7")
    report.facts.append(("calendar.yaml", f"resmî tatiller / national holidays: {cal.public_holidays or '-'}; "
                                          f"{len(cal.extra_closed)} yerel kapalı gün / local closed days"))


def _templates(report: Report, folder: Path) -> None:
    from jinja2 import TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    raw = _read(report, folder, "templates")
    if raw is None:
        return
    if not isinstance(raw, dict):
        report.add("notifications.yaml", "", "bir eşlem olmalı / must be a mapping")
        return
    env = SandboxedEnvironment(autoescape=False)
    for key in TEMPLATE_KEYS:
        if key not in raw:
            report.add("notifications.yaml", key, "eksik / missing")
            continue
        try:
            table = Bilingual.model_validate(raw[key])
        except ValidationError as exc:
            _pydantic(report, "notifications.yaml", exc, prefix=f"{key}.")
            continue
        for locale in ("tr", "en"):
            try:
                env.parse(getattr(table, locale))
            except TemplateSyntaxError as exc:
                report.add("notifications.yaml", f"{key}.{locale}", f"şablon hatası / template error: {exc.message}")
        if key == "received" and "privacy_url" not in table.tr:
            report.add("notifications.yaml", "received.tr", "aydınlatma metni bağlantısı ({{ privacy_url }}) "
                       "gerekli (KVKK md. 10) / the privacy notice link is required")
    report.facts.append(("notifications.yaml", f"{len(TEMPLATE_KEYS)} şablon / templates"))


def _canned_and_staff(report: Report, folder: Path, codes: set[str]) -> None:
    for name, file, model in (("canned_replies", "canned_replies.yaml", CannedReply),
                              ("staff", "staff.yaml", StaffMember)):
        raw = _read(report, folder, name)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            report.add(file, "", "müdürlük kodu → liste eşlemi olmalı / must map department codes to lists")
            continue
        for key, items in raw.items():
            if key != "_all" and codes and key not in codes:
                report.add(file, str(key), "bilinmeyen müdürlük / unknown department (departments.json)")
            for i, item in enumerate(items or []):
                try:
                    model.model_validate(item)
                except ValidationError as exc:
                    _pydantic(report, file, exc, prefix=f"{key}[{i}].")
        report.facts.append((file, f"{len(raw)} liste / lists"))
    raw = _read(report, folder, "institutions")
    if raw is not None:
        for i, item in enumerate(raw if isinstance(raw, list) else [None]):
            try:
                Institution.model_validate(item)
            except ValidationError as exc:
                _pydantic(report, "institutions.yaml", exc, prefix=f"[{i}].")
        report.facts.append(("institutions.yaml", f"{len(raw) if isinstance(raw, list) else 0} kurum / institutions"))


def _demo(report: Report, folder: Path) -> None:
    path = folder / data_files.OPTIONAL["demo"]
    if not path.is_file():
        return
    import yaml

    try:
        doc = DemoFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except ValidationError as exc:
        _pydantic(report, "demo.yaml", exc)
        return
    except yaml.YAMLError as exc:
        report.add("demo.yaml", "", f"okunamadı / cannot be parsed: {exc}")
        return
    report.facts.append(("demo.yaml", f"{len(doc.today)} + {len(doc.deadlines)} örnek mesaj / demo messages"))


def render(report: Report) -> str:
    """The report as the command prints it, Turkish first, English second."""
    lines = [f"Belediye klasörü / municipality folder: {report.folder}"]
    if report.ok:
        lines += [f"  ✓ {file}: {what}" for file, what in report.facts]
        lines.append("Geçerli: yapılandırma hazır / valid: the configuration is ready")
    else:
        lines += [f"  ✗ {p}" for p in report.problems]
        lines.append(f"Geçersiz: {len(report.problems)} sorun / invalid: {len(report.problems)} problem(s)")
    return "\n".join(lines)
