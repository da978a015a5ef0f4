"""A TLS (and optionally AUTH) SMTP server for the connector tests, on aiosmtpd.

    redress_smtp_tls.py --listen 127.0.0.1:PORT --maildir DIR --cert PEM --key PEM
                        --mode starttls|smtps [--auth USER:PASSWORD]

starttls: plain connection, STARTTLS offered and required before anything else (RFC 3207).
smtps:    TLS from the first byte (RFC 8314 "implicit TLS").
--auth:   AUTH PLAIN/LOGIN is offered only under TLS and required before MAIL (RFC 4954);
          other credentials get 535.
Delivery and the reject@/defer@ recipients are those of redress_smtp_handler.RejectingMailbox.
The certificate and key are made by the test at run time, in its temporary directory.
"""

import argparse
import asyncio
import ssl

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from redress_smtp_handler import RejectingMailbox


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", required=True)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--mode", choices=["starttls", "smtps"], required=True)
    parser.add_argument("--auth")
    args = parser.parse_args()

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    handler = RejectingMailbox(args.maildir)
    user, _, password = (args.auth or "").partition(":")

    def authenticator(server, session, envelope, mechanism, auth_data):
        accepted = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        # handled=False on failure: aiosmtpd answers 535 itself.
        return AuthResult(success=accepted, handled=False)

    def make_session():
        options = {"hostname": "redress-test"}
        if args.mode == "starttls":
            options.update(tls_context=context, require_starttls=True)
        if args.auth:
            # aiosmtpd 1.4 counts only STARTTLS as TLS for auth_require_tls; under implicit TLS the
            # whole connection is encrypted already, so the check is switched off there.
            options.update(authenticator=authenticator, auth_required=True,
                           auth_require_tls=args.mode == "starttls")
        return SMTP(handler, **options)

    host, _, port = args.listen.rpartition(":")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    implicit = context if args.mode == "smtps" else None
    loop.run_until_complete(loop.create_server(make_session, host, int(port), ssl=implicit))
    loop.run_forever()


if __name__ == "__main__":
    main()
