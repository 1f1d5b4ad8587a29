import os
import sys

from hypothesis import settings

# Tests import their small helpers (builders, seed transcriptions) from this folder.
sys.path.insert(0, os.path.dirname(__file__))

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
