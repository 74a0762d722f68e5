def test_enterprise_creates_draft(api):
    ent = api("ent_huadong")
    claim = ent.create_claim()
    assert claim["state"] == "draft"
    assert claim["requested_amount"] == "120000.00"
    assert claim["available_triggers"] == ["submit", "withdraw"]
