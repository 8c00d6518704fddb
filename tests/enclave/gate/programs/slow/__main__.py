"""Never finishes on its own (waits on a child that sleeps), so only the gate's --timeout ends it."""

import os
import subprocess
import sys

child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open(os.environ["ENCLAVE_TEST_PIDFILE"], "w") as pidfile:
    pidfile.write(str(child.pid))
child.wait()
