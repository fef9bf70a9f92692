from lvzhi.celery import app


def test_every_scheduled_job_names_a_registered_task():
    app.finalize()
    schedule = app.conf.beat_schedule
    assert {"proposals-daily-reminders", "proposals-intel-nightly"} <= set(schedule)
    assert any(e["task"].startswith("lvzhi.meetings.") for e in schedule.values())
    for entry in schedule.values():
        assert entry["task"] in app.tasks
