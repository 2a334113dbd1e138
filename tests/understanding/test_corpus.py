"""The hand-written training corpora are labelled consistently with the municipality's data (issue 18)."""

from __future__ import annotations

import json

from training.corpus_check import corpus_files, problems


def test_every_corpus_message_is_labelled_with_known_codes_and_appears_once():
    found, counts = problems()
    assert found == []
    assert sum(counts.values()) >= 3000  # issue 18: at least 3,000 labelled messages


def test_the_check_catches_a_wrong_department_an_unknown_mahalle_and_a_repeat(tmp_path):
    rows = [
        {"text": "Çöpler alınmadı", "department": "temizlik", "category": "cop_toplama", "neighbourhood": None,
         "kind": "sikayet"},
        {"text": "cöpler ALINMADI!", "department": "temizlik", "category": "cop_toplama", "neighbourhood": None,
         "kind": "sikayet"},
        {"text": "Lamba yanmıyor", "department": "fen", "category": "sokak_aydinlatma", "neighbourhood": "Gesi",
         "kind": "sikayet"},
    ]
    path = tmp_path / "corpus-x.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    found, _ = problems([path])
    assert any("the same message as corpus-x.jsonl:1" in p for p in found)
    assert any("sokak_aydinlatma belongs to" in p for p in found)
    assert any("'Gesi' is not a mahalle" in p for p in found)


def test_corpora_exist():
    assert len(corpus_files()) >= 3
