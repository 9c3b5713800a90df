from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Development only: the national-scale data generator (`manage.py generate_load_data`) and its
    vocabulary. Installed when DEBUG, in tests, or with FORUM_BENCH_VIEWS (forum/settings.py)."""

    name = "bench"
    verbose_name = "Benchmarks"
