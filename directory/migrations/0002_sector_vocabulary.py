from django.db import migrations

SECTORS = [
    ("Sak/arkiv", "sak-arkiv", "Saksbehandling, arkiv og Noark 5."),
    ("HR og lønn", "hr-og-lonn", ""),
    ("Økonomi", "okonomi", ""),
    ("Helse og omsorg", "helse-og-omsorg", ""),
    ("Oppvekst og skole", "oppvekst-og-skole", ""),
    ("Barnevern", "barnevern", ""),
    ("Plan, bygg og geodata", "plan-bygg-og-geodata", "Inkludert matrikkel og kart."),
    ("Teknisk", "teknisk", "Vann, avløp og renovasjon."),
    ("Drift og infrastruktur", "drift-og-infrastruktur", "Inkludert sky."),
    ("Anskaffelser og avtaler", "anskaffelser-og-avtaler", ""),
    ("Informasjonssikkerhet og personvern", "informasjonssikkerhet-og-personvern", ""),
    ("Innbyggertjenester og selvbetjening", "innbyggertjenester-og-selvbetjening", ""),
]


def create_sectors(apps, schema_editor):
    Sector = apps.get_model("directory", "Sector")
    for position, (name, slug, description) in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(create_sectors, migrations.RunPython.noop)]
