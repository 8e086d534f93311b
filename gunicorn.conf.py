"""gunicorn settings for production: ``gunicorn wsgi:app`` reads this file from this directory.

The README's "Serving in production" explains each choice; tests/web/test_serving.py starts
gunicorn with this file and checks what it promises. Operators change a value with the
environment variables below, or any setting with GUNICORN_CMD_ARGS (e.g. "--keep-alive 75"),
which overrides this file. ``bind`` is gunicorn's own default: 127.0.0.1:8000, or
0.0.0.0:$PORT when PORT is set.
"""

import os

from gunicorn.http import message as _http_message


def _cpus() -> int:
    """The CPUs this process may run on (a container's cpuset, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# Processes and threads. A request here is CPU-bound Python (replays, page renders) and short,
# and the GIL lets one thread of a process compute at a time: one process per CPU uses every
# CPU; more would only add memory and time-slicing. Threads add no CPU, but the gthread worker
# gives each connection a thread only while a request is being read or answered (idle and
# kept-alive connections wait in its poller, and one that connects and sends nothing is parked
# there after 5 s), so a slow client or a long replay holds one thread, not the process.
# The limit: a request that stays half-sent holds its thread until the client gives up (gunicorn
# has no deadline for reading a request's head), so workers x threads such clients stall the
# server. In front of the internet, put a proxy that buffers whole requests (nginx does by
# default; see the README).
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or _cpus())
threads = int(os.environ.get("WEB_THREADS") or 4)

# With gthread the worker's main loop reports to the master while its threads work, so
# `timeout` restarts a process only when that loop can't run: a call that holds the GIL (a
# runaway regular expression) freezes the whole process and is killed after this long; a
# request that runs long in Python code is not. 30 s: twice the slowest legitimate request
# measured (a 48 MB HAR through the API). Requests in flight at a restart or deploy get
# `graceful_timeout` to finish, the same bound.
timeout = 30
graceful_timeout = 30
# The page loads its static files, live preview and live updates over kept-alive connections; an
# idle one costs a socket in the poller, not a thread. Behind a load balancer, raise it above the
# balancer's idle timeout (GUNICORN_CMD_ARGS="--keep-alive 75" for a 60 s one).
keepalive = 5

# Request line. Permalinks carry the whole scenario in the URL: the longest the app accepts is
# GET /reproduction?s=<64 KiB token> HTTP/1.1, 65,565 bytes (app/web/permalink.py
# MAX_TOKEN_LENGTH; /reproduction is the longest path that takes ?s=). Twice the token limit
# lets a link damaged by pasted extra text still reach the app's own plain-words refusal;
# gunicorn answers anything longer with a bare 414 after reading at most this much.
limit_request_line = 128 * 1024
# gunicorn clamps limit_request_line to its MAX_REQUEST_LINE (8,190), unless it is 0, which
# means unlimited, and its parser rescans the line it holds on every read: a 3 MB URL took
# 4.4 s, 10 MB 25-30 s. Raising the ceiling to our limit keeps a bound that fits the links,
# read in 16 reads at most. tests/web/test_serving.py checks that the longest link opens and a
# 3 MB URL is refused at once, so a gunicorn that stops honouring this fails the test.
_http_message.MAX_REQUEST_LINE = max(_http_message.MAX_REQUEST_LINE, limit_request_line)

# Headers: browsers send about 20 and proxies add a few; a Cookie holds the session (well under
# 4 KB) and browsers cut a Referer over 4 KB to the origin. gunicorn reads up to
# fields x (size + 2) bytes of head before parsing it, rescanning on each read as for the line:
# these keep that to 400 KB, refused in milliseconds.
limit_request_fields = 50
limit_request_field_size = 8190
