from django.db import migrations

CATEGORIES = [
    (
        "Spørsmål og svar",
        "sporsmal-og-svar",
        "Still spørsmål om fagsystemer, migrering og drift; få svar fra andre kommuner og leverandører.",
    ),
    (
        "Erfaringer",
        "erfaringer",
        "Del erfaringer, gode og dårlige, fra sammenslåinger, migreringer og anskaffelser.",
    ),
    (
        "Sammenslåing og migrering",
        "sammenslaaing-og-migrering",
        "Planlegging av kommunesammenslåinger: systemvalg, datamigrering og avslutning av arkiver.",
    ),
    (
        "Anskaffelser og avtaler",
        "anskaffelser-og-avtaler",
        "Kravspesifikasjoner, SSA-avtaler, bistand og vedlikehold.",
    ),
    (
        "Workshop 4. desember 2018",
        "workshop-2018",
        "De 18 temaene fra Kartverkets workshop om IKT-status i nye kommuner, med oppfølging.",
    ),
    ("Om forumet", "om-forumet", "Spørsmål og forslag om Reformforum selv."),
]


def create_categories(apps, schema_editor):
    Category = apps.get_model("topics", "Category")
    for position, (name, slug, description) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("topics", "0001_initial")]
    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
