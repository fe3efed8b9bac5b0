"""Writes for notice-and-takedown (one module to import; the code lives in two files for size).

``services_core``: platforms, listings, notices, measures, service on the seller.
``services_after``: counter-notices, the 15-day clock and its extension, proceedings, lifting, withdrawal,
malicious-notice findings, confirmation of relisting flags.
``repeat``: repeat sellers feed the credit file.
"""

from zhibao.takedown.services_after import (  # noqa: F401
    attach_proceeding,
    confirm_relisting,
    escalate_live,
    extend_clock,
    file_counter_notice,
    find_malicious,
    forward_counter_notice,
    lift_expired,
    withdraw_notice,
)
from zhibao.takedown.services_core import (  # noqa: F401
    MAX_LISTINGS,
    capture_listing_page,
    configure_platform,
    decide,
    file_notice,
    operators,
    record_served,
    register_listings,
    register_platform,
)
