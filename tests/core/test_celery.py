from lvzhi.celery import app


def test_every_scheduled_job_names_a_registered_task():
    app.finalize()
    schedule = app.conf.beat_schedule
    assert {"proposals-daily-reminders", "proposals-intel-nightly"} <= set(schedule)
    for entry in schedule.values():
        assert entry["task"] in app.tasks
