"""The meeting-pack benchmark runs and reports both formats for both filters (timings are measured, not tested)."""

from __future__ import annotations

from bench import pack


def test_the_pack_benchmark_reports_both_formats_for_all_and_for_vannas(tmp_path):
    result = pack.run(scales=(1,), repeat=1, log=lambda _m: None)
    entries = result["scales"]["1"]
    assert set(entries) == {"alla pptx", "alla xlsx", "Vännäs pptx", "Vännäs xlsx"}
    for key, e in entries.items():
        assert e["p50_s"] > 0 and e["kb"] > 0 and e["verdict"] in ("PASS", "FAIL")
        assert e["parts"] == 10 if key.endswith("xlsx") else e["parts"] > 10
    assert "| alla pptx |" in pack.markdown(result)
    assert result["summary"]["passed"] + len(result["summary"]["failures"]) == 4
