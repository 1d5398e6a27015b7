"""Load every ISO 3166-1 country from pycountry; the default served set is switched on."""

from django.db import migrations


def load(apps, schema_editor):
    from customers.geography import DEFAULT_SERVED_COUNTRIES, all_countries

    Country = apps.get_model("customers", "Country")
    existing = set(Country.objects.values_list("iso", flat=True))
    Country.objects.bulk_create(
        [
            Country(iso=iso, iso3=iso3, name=name, is_served=iso in DEFAULT_SERVED_COUNTRIES)
            for iso, iso3, name in all_countries()
            if iso not in existing
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
