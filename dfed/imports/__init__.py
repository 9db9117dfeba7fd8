"""The import engine: job records, the importer registry, the Celery task that runs a job and
the beat task that deletes uploads after their retention period. Domain apps register their
importers in ``AppConfig.ready()`` (``registry.importer_register``)."""
