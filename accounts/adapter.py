from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from accounts.tasks import send_account_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Queued in the request's transaction: with the database task backend the message
        # is sent once the transaction commits, by exactly one worker.
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (content for content, mimetype in message.alternatives if mimetype == "text/html"),
            None,
        )
        send_account_email.enqueue(
            subject=message.subject,
            body=message.body,
            from_email=message.from_email,
            to=list(message.to),
            html=html,
        )
