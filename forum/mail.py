"""The development console mailer: each mail as a person reads it.

Django's console backend prints the raw MIME message, and Norwegian text makes that
quoted-printable: «g=C3=A5 til http://127.0.0.1:8000/konto=» with the link broken over two lines,
so a newcomer under `make run` could not click the verification link. This one prints the
headers a reader sees and the plain text as it is. Production sends by SMTP (forum/settings.py).
"""

from __future__ import annotations

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message) -> None:
        headers = {
            "Subject": message.subject,
            "From": message.from_email,
            "To": ", ".join(message.to),
            "Reply-To": ", ".join(message.reply_to),
        }
        head = "\n".join(f"{name}: {value}" for name, value in headers.items() if value)
        self.stream.write(f"{head}\n\n{message.body.rstrip()}\n{'-' * 79}\n")
