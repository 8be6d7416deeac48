"""A real SMTP server (aiosmtpd) on a loopback port for the notification tests.

Usage: receive.py PORT  (0: any free port). Prints `port=N` once listening, then one JSON line
per message received: envelope sender and recipients, the decoded subject, To and body, and the
raw message. Runs until killed.
"""

import asyncio
import email
import email.policy
import json
import sys

from aiosmtpd.smtp import SMTP


class Print:
    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain",))
        line = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(msg["subject"]),
            "to": str(msg["to"]),
            "body": body.get_content() if body is not None else "",
            "raw": raw.decode("utf-8", "replace"),
        }
        print(json.dumps(line), flush=True)
        return "250 OK"


async def main(port):
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Print(), hostname="receiver.test"), "127.0.0.1", port)
    print(f"port={server.sockets[0].getsockname()[1]}", flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
