"""Account e-mail (confirmation, password reset) leaves the request through the task worker:
the page answers at once, and a slow or failing mail server delays no one."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task
def send_account_email(
    *, subject: str, body: str, from_email: str, to: list[str], html: str | None = None
) -> int:
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
