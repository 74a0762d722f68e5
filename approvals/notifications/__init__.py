"""Notifications (issue 15): one service for messages, recorded with the step that causes
them and delivered after its commit: the inbox (站内信), e-mail over SMTP and SMS through a
gateway, each delivery with its status, retried and never in a step's way."""


def init_app(app) -> None:
    """The claimant's message at every step that issues it a notice, delivery after the
    commit (and its job for the task queue), `deliver-pending`, the inbox pages and the
    header's unread count."""
    from flask_login import current_user

    from approvals.claims import history
    from approvals.db import on_commit
    from approvals.jobs import register_job
    from approvals.notices.issue import on_issue
    from approvals.notifications import delivery, record
    from approvals.notifications.commands import deliver_pending_command
    from approvals.notifications.inbox import unread_count
    from approvals.notifications.routes import bp, channels_form

    on_issue(app, record.record_for_step)
    # The claimant's channels come with the door's read of the claim: no statement of its own.
    history.also_read(
        "claimant_channels",
        history.AlsoRead(
            column=record.channels_of_claimant,
            keep=record.remember_channels,
            ready=lambda session, claim: True,  # nothing of ours needs the claim flushed first
        ),
    )
    on_commit(app, delivery.deliver_recorded, delivery.forget_recorded)
    register_job(app, delivery.DELIVER_JOB, delivery.deliver_ids)
    app.cli.add_command(deliver_pending_command)
    app.register_blueprint(bp)

    @app.context_processor
    def unread_messages() -> dict:
        def count() -> int:
            return unread_count(current_user.id) if current_user.is_authenticated else 0

        # The profile page's form of channels (templates/notifications/_channels.html),
        # so that the enterprise's profile needs to know nothing of notifications.
        def channel_choice_form():
            return channels_form(current_user.enterprise)

        return {"unread_messages": count, "channel_choice_form": channel_choice_form}
