"""An aiosmtpd handler for the connector tests: a Maildir mailbox that refuses some recipients.

Recipients whose local part is "reject" get 550 (permanent), "defer" get 451 (temporary), so the
tests can see how the SMTP sender maps real server replies. Everyone else is delivered to the
Maildir given on the command line, as aiosmtpd's own Mailbox handler does it.
"""

from aiosmtpd.handlers import Mailbox


class RejectingMailbox(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local == "reject":
            return "550 5.1.1 <%s>: Recipient address rejected: no such user" % address
        if local == "defer":
            return "451 4.7.1 <%s>: Recipient address deferred: try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"
