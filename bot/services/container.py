"""What one running bot is built from: the services handlers call, and the backend they stand on.

Handlers get `Services` (use-cases only) through the context. The store, the gateway client and
the due-work poller live in `Backend`, which only the composition root (app/) and tests hold:
a handler cannot reach SQL or HTTP even by accident. Nothing here registers due work: each
feature declares its kinds beside itself (handlers/feature.py) and the root registers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.background import DuePoller
from bot.services.broadcast_sender import BroadcastSender
from bot.services.broadcasts import BroadcastService
from bot.services.desk import DeskService
from bot.services.flows import FlowService
from bot.services.forget import ForgetService
from bot.services.guide import GuideService
from bot.services.guide_mode import GuideModeService
from bot.services.help_requests import HelpService
from bot.services.inbox import InboxService
from bot.services.linking import LinkService
from bot.services.nudges import NudgeService
from bot.services.readings import ReadingsService
from bot.services.reminders import ReminderService
from bot.services.sending import SendService
from bot.services.staff import StaffService
from bot.services.start_up import StartUpOnce
from bot.services.stats import StatsService
from bot.services.status import StatusService
from bot.services.trial import TrialService
from bot.services.users import UserService
from bot.settings import Settings
from core.clock import Clock
from linkage.client import GatewayClient
from store.broadcast_deliveries import DeliveryRepository
from store.broadcasts import BroadcastRepository
from store.db import Database
from store.desk import DeskRepository
from store.due_work import DueWorkRepository
from store.flows import FlowRepository
from store.guide import GuideRepository
from store.help_requests import HelpRequestRepository
from store.inbox import InboxRepository, new_worker_id
from store.leases import LeaseRepository
from store.links import LinkRepository
from store.rate_limits import RateLimits
from store.reminders import ReminderRepository
from store.sandbox_links import SandboxLinks
from store.self_reports import SelfReportRepository
from store.sends import SendRepository
from store.staff import AuditLog, InviteRepository, StaffChatRepository, StaffRepository
from store.stats import StatsRepository
from store.status_cache import StatusCacheRepository
from store.users import UserRepository
from store.volunteer_facts import VolunteerFactsRepository
from store.web_actions import WebActionRepository


@dataclass(slots=True)
class Services:
    """Everything a handler may call: use-cases, no store, no gateway."""

    settings: Settings
    clock: Clock
    users: UserService
    links: LinkService
    forget: ForgetService
    guide: GuideService
    flows: FlowService
    status: StatusService
    sending: SendService
    nudges: NudgeService
    staff: StaffService
    broadcasts: BroadcastService
    stats: StatsService
    help_requests: HelpService
    reminders: ReminderService
    trial: TrialService
    # Webhook mode's inbox: updates stored before Telegram hears 200, run by workers in order.
    inbox: InboxService
    # Runs broadcasts (its due work is declared by handlers/broadcast_run.py).
    broadcast_sender: BroadcastSender
    # The staff desk Mini App's keys, drafts, menu buttons and reads (bot/web/miniapp/).
    desk: DeskService
    # Guide mode: there is no gateway, and the volunteer's own word is all the bot knows. The
    # one question the rest of the code asks about the gateway: None whenever one answers.
    guide_mode: GuideModeService | None = None


@dataclass(slots=True)
class Backend:
    """The store, the gateway client and the poller, and the services built on them."""

    db: Database
    gateway: GatewayClient
    # Runs due work; BotRuntime ticks it, tests call `await backend.poller.run_due()`. Empty
    # here: the composition root (app/) registers every kind the features declare.
    poller: DuePoller
    services: Services
    # Sends staff broadcasts (services.broadcast_sender); the root attaches its Telegram side.
    sender: BroadcastSender
    # What /metrics reads from the store (webhook mode).
    readings: ReadingsService
    # Runs the features' start-up work once per deployment start (bot/services/start_up.py).
    start_up: StartUpOnce

    @classmethod
    def create(
        cls,
        settings: Settings,
        clock: Clock,
        db: Database,
        gateway: GatewayClient,
        *,
        gateway_id: str | None = None,
    ) -> Backend:
        """`gateway_id` names the gateway behind the port ('sandbox' or a URL's origin; None
        in guide mode), stamped on every link made."""
        work = DueWorkRepository(db)
        limits = RateLimits(db)  # one instance: it keeps the installation secret once read
        links = LinkService(
            gateway,
            LinkRepository(db, gateway_id),
            work,
            clock,
            limits,
            codes_per_hour=settings.link_codes_per_hour,
            facts=VolunteerFactsRepository(db),
        )
        poller = DuePoller(work, clock)
        users = UserRepository(db)  # one instance: it batches the last-seen times
        nudges = NudgeService(gateway, links, users, work, clock, settings.tz)
        links.on_linked.append(nudges.start)
        cache = StatusCacheRepository(db)
        staff = StaffRepository(db)
        staff_service = StaffService(
            staff,
            AuditLog(db),
            settings.admin_telegram_ids,
            InviteRepository(db),
            clock,
            StaffChatRepository(db),
        )
        status = StatusService(gateway, links, cache, clock, SendRepository(db))
        # Guide mode (no gateway) counts segments from the volunteers' own word.
        broadcast_rows = BroadcastRepository(db, guide=gateway_id is None)
        deliveries = DeliveryRepository(db)
        # What only one worker of a deployment does at a time (a broadcast's sending, the
        # start-up work) is leased to this process under a name of its own.
        leases = LeaseRepository(db)
        worker = new_worker_id()
        sender = BroadcastSender(
            broadcast_rows,
            deliveries,
            users,
            staff_service,
            work,
            clock,
            leases,
            worker,
            rate=settings.broadcast_rate,
            alone=db.dialect != "postgres",
            lease=timedelta(seconds=settings.broadcast_lease_seconds),
        )
        broadcasts = BroadcastService(broadcast_rows, staff_service, deliveries)
        help_requests = HelpService(
            HelpRequestRepository(db), staff_service, links, status, clock, limits, work
        )
        user_service = UserService(users, settings.admin_telegram_ids)
        services = Services(
            settings=settings,
            clock=clock,
            users=user_service,
            links=links,
            forget=ForgetService(links, users, db),
            # The guide asks /status about failed records, so it never calls them "all fine".
            guide=GuideService(GuideRepository(db), links, failures=status),
            flows=FlowService(FlowRepository(db), clock, work=work),
            status=status,
            sending=SendService(gateway, links, SendRepository(db), work, clock, cache),
            nudges=nudges,
            staff=staff_service,
            broadcasts=broadcasts,
            help_requests=help_requests,
            stats=StatsService(
                StatsRepository(db),
                staff_service,
                clock,
                settings.tz,
                broadcasts=broadcasts,
                help_requests=help_requests,
            ),
            reminders=ReminderService(
                ReminderRepository(db), broadcasts, staff_service, clock, settings.tz
            ),
            trial=TrialService(SandboxLinks(db), settings.database_path, gateway_id),
            inbox=InboxService(
                InboxRepository(db),
                clock,
                work,
                lease=timedelta(seconds=settings.webhook_lease_seconds),
            ),
            broadcast_sender=sender,
            desk=DeskService(
                DeskRepository(db, guide=gateway_id is None),
                WebActionRepository(db),
                staff_service,
                clock,
                user_service,
                work,
            ),
            guide_mode=None
            if gateway_id is not None
            else GuideModeService(
                SelfReportRepository(db), GuideRepository(db), work, clock, settings.tz
            ),
        )
        services.broadcasts.on_cancelled.append(sender.cancelled)
        services.desk.rate = lambda: sender.rate
        links.before_unlink.append(services.sending.settle_first)
        readings = ReadingsService(InboxRepository(db), work, deliveries, clock)
        return cls(
            db=db,
            gateway=gateway,
            poller=poller,
            services=services,
            sender=sender,
            readings=readings,
            start_up=StartUpOnce(leases, clock, worker, shared=db.dialect == "postgres"),
        )

    async def close(self) -> None:
        """Stops the broadcast sender, closes the gateway client and the store, in that order,
        saving what waits in memory."""
        await self.sender.stop()
        await self.gateway.aclose()
        if not self.db.closed:
            await self.services.users.flush_seen()
        await self.db.close()
