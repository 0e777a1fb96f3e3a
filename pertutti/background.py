"""Work that can wait gives the CPU to the web workers' requests.

An import or a re-index run from the command line on a live server competes with the site for
the same cores: during a re-import of the demo, pages at 50 clients waited up to p95 270 ms.
Such processes lower their own priority; on an idle machine it costs them nothing.
"""

import os

BACKGROUND_NICE = 10  # the nice value of background work (the web workers run at 0)


def yield_to_web_requests() -> None:
    """Lower this process's priority to BACKGROUND_NICE, never raise it (a process already
    nicer stays so). Where priorities cannot be changed, nothing happens."""
    try:
        current = os.nice(0)
        if current < BACKGROUND_NICE:
            os.nice(BACKGROUND_NICE - current)
    except (AttributeError, OSError):  # no os.nice on this platform, or not permitted
        pass
