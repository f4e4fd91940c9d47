"""``gms_agent add <username> [--password P] [--capacity chat=3,email=1] [--queues VQ_A,VQ_B]``
and ``gms_agent list``: agents are Django users with an agent profile."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from apps.contactcenter import selectors, services
from apps.contactcenter.models import AgentProfile
from apps.core.errors import GMSError


def parse_capacity(text: str) -> dict[str, int]:
    """``chat=3,email=1`` -> {"chat": 3, "email": 1}; ValueError on anything else."""
    capacity: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        media, sep, value = part.partition("=")
        if not sep or not value.strip().isdigit():
            raise ValueError(f"{part!r} is not media=number")
        capacity[media.strip()] = int(value)
    return capacity


class Command(BaseCommand):
    help = "Add or change an agent (a user with an agent profile), or list the agents."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create or update an agent")
        add.add_argument("username")
        add.add_argument(
            "--password", help="set the user's password (a new user without one cannot sign in)"
        )
        add.add_argument("--capacity", default="", help="per media, e.g. chat=3,email=1")
        queues = add.add_mutually_exclusive_group()
        queues.add_argument("--queues", help="queues served, e.g. VQ_Sales,VQ_Support")
        queues.add_argument("--all-queues", action="store_true", help="serve every queue")
        add.add_argument("--staff", action="store_true", help="may also queue work by API")
        sub.add_parser("list", help="list the agents")

    def handle(self, *args, action: str, **options) -> None:
        if action == "add":
            self._add(options)
        else:
            self._list()

    def _add(self, options: dict) -> None:
        try:
            capacity = parse_capacity(options["capacity"])
        except ValueError as error:
            raise CommandError(f"--capacity: {error}") from error
        queue_names = None
        if options["all_queues"]:
            queue_names = []
        elif options["queues"] is not None:
            queue_names = [name.strip() for name in options["queues"].split(",") if name.strip()]
        User = get_user_model()
        try:
            with transaction.atomic():
                user, created = User.objects.get_or_create(username=options["username"])
                if options["password"] is not None:
                    user.set_password(options["password"])
                elif created:
                    user.set_unusable_password()
                if options["staff"]:
                    user.is_staff = True
                user.save()
                agent = services.register_agent(
                    user=user, capacity=capacity, queue_names=queue_names
                )
        except GMSError as error:
            raise CommandError(error.message) from error
        verb = "Added" if created else "Updated"
        self.stdout.write(f"{verb} agent {self._describe(agent)}")

    def _list(self) -> None:
        for agent in AgentProfile.objects.select_related("user"):
            self.stdout.write(self._describe(agent))

    @staticmethod
    def _describe(agent: AgentProfile) -> str:
        status = selectors.agent_status(agent)
        capacity = ",".join(f"{media}={c.capacity}" for media, c in sorted(status.capacity.items()))
        queues = ",".join(status.queues) or "all queues"
        return f"{status.username} {status.state} capacity {capacity} serving {queues}"
