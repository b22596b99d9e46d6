"""What the command-line test scripts share: a tally of checks that goes on
after a failure, so that one run reports every broken promise."""
import sys

results = {"passed": 0, "failed": 0}


def check(cond, what):
    if cond:
        results["passed"] += 1
    else:
        results["failed"] += 1
        print("FAIL:", what, flush=True)


def summary():
    """Prints the tally; returns the exit status (1 when a check failed)."""
    print("%d passed, %d failed" % (results["passed"], results["failed"]))
    sys.stdout.flush()
    return 1 if results["failed"] else 0
