from django.core.management.base import BaseCommand, CommandError

from accounts import actions
from accounts.models import User


class Command(BaseCommand):
    help = "Add a member to the moderator group (or remove them with --remove)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("--remove", action="store_true", help="Take the role away.")

    def handle(self, *args: object, email: str, remove: bool, **options: object) -> None:
        try:
            user = User.objects.get(email__iexact=email.strip())
        except User.DoesNotExist:
            raise CommandError(f"No member has the e-mail address {email}.") from None
        if remove:
            actions.remove_moderator(user=user)
            self.stdout.write(f"{user.email} is no longer a moderator.")
        else:
            actions.make_moderator(user=user)
            self.stdout.write(f"{user.email} is now a moderator.")
