import logging

import phonenumbers
from django.apps import AppConfig

logger = logging.getLogger(__name__)


class PhonenumberConfig(AppConfig):
    name = "apps.phonenumber"
    label = "phonenumber"

    def ready(self) -> None:
        # Carrier, time-zone and geocoding answers change with the metadata release.
        logger.info(
            "Phone numbers: libphonenumber metadata of phonenumbers %s", phonenumbers.__version__
        )
