"""An emulator of the HubSpot APIs syncd uses, as a WSGI application over seeded state.

    state = HubSpotState.from_seed(seed)            # or HubSpotState.from_seed(seed, clock=...)
    app = create_app(state, HubSpotSettings())
    served = syncd_sandbox.server.serve(app)   # then HubSpot(access_token=..., host=served.url)
"""

from .app import create_app
from .settings import HubSpotSettings
from .state import HubSpotState

__all__ = ["HubSpotSettings", "HubSpotState", "create_app"]
