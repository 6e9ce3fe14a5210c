"""Settings: ``base`` (everything, from the environment), ``local``, ``test``, ``production``."""
