"""Create the Instructors group with its permissions."""

from django.db import migrations

INSTRUCTORS = "Instructors"
PERMISSIONS = [
    ("view_learner_progress", "Can see learners' progress and results"),
    ("manage_classes", "Can run classes and assign lessons"),
]


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    # Permissions are normally created after all migrations ran; create them here so
    # the group can hold them from the start. The later step finds them and skips them.
    content_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="profile")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS
    ]
    group, _ = Group.objects.get_or_create(name=INSTRUCTORS)
    group.permissions.add(*permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=INSTRUCTORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
