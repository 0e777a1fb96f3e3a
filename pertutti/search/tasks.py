"""Background work of the search index (django-tasks; `make run` starts the worker).

Rebuilding a territory's documents takes seconds (and embeds new texts), so a page that
changes translations enqueues this after its transaction commits instead of making the
person wait; management commands still update the index themselves.
"""

from django_tasks import task

from pertutti.search.indexing import search_index_update
from pertutti.territories.models import Territory


@task()
def search_index_update_task(territory_id: int) -> int:
    """Returns how many documents were written (0 if the territory is gone meanwhile)."""
    territory = Territory.objects.filter(pk=territory_id).first()
    if territory is None:
        return 0
    return search_index_update(territory=territory).written
