"""Issue 22 in the template: the EventBridge rule for this stage's Transcribe jobs, its async failure handling,
the voicemail queue consumer and the Transcribe permissions scoped to this stage's jobs."""
from __future__ import annotations

import json


def _function(synth, name: str) -> tuple[str, dict]:
    return next((k, v) for k, v in synth.resources.items()
                if v["Type"] in ("AWS::Serverless::Function", "AWS::Lambda::Function")
                and v["Properties"].get("FunctionName") == f"ulakbel-{synth.stage}-{name}")


def test_transcribe_state_changes_of_this_stage_reach_voicemail_transcribed(synth):
    logical, fn = _function(synth, "voicemail_transcribed")
    rules = [e["Properties"] for e in (fn["Properties"].get("Events") or {}).values()
             if e["Type"] == "CloudWatchEvent"]  # SAM makes the EventBridge rule and the invoke permission
    assert len(rules) == 1
    pattern = rules[0]["Pattern"]
    assert pattern["source"] == ["aws.transcribe"] and pattern["detail-type"] == ["Transcribe Job State Change"]
    assert pattern["detail"]["TranscriptionJobName"] == [{"prefix": f"ulakbel-{synth.stage}-vm-"}]
    assert pattern["detail"]["TranscriptionJobStatus"] == ["COMPLETED", "FAILED"]
    configs = [c for c in synth.of_type("AWS::Lambda::EventInvokeConfig").values() if logical in json.dumps(c)]
    assert len(configs) == 1 and configs[0]["Properties"]["MaximumRetryAttempts"] == 2
    assert "OnFailure" in configs[0]["Properties"]["DestinationConfig"]


def test_voicemail_queue_is_consumed_and_transcribe_is_scoped_to_this_stage(synth):
    logical, _ = _function(synth, "transcribe_voicemail")
    mappings = [m for m in synth.of_type("AWS::Lambda::EventSourceMapping").values() if logical in json.dumps(m)]
    assert len(mappings) == 1 and "voicemail" in json.dumps(mappings[0]["Properties"]["EventSourceArn"])
    statements = json.dumps([p for p in synth.of_type("AWS::IAM::Policy").values()])
    assert "transcribe:StartTranscriptionJob" in statements and "transcribe:GetTranscriptionJob" in statements
    assert f"transcription-job/ulakbel-{synth.stage}-*" in statements
