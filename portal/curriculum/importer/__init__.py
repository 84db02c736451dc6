"""Import lessons from the plain-text shape of the seed into lesson folders.

Pure Python, no Django: `parse_lesson` reads one file's bytes into lesson.yaml data and the
list of repairs it made (or raises `LessonRefused` naming the line), and the writer turns
that data into YAML. The `import_lesson` management command ties them together.
"""

from portal.curriculum.importer.parse import ParsedLesson, parse_lesson
from portal.curriculum.importer.report import LessonRefused, Repair
from portal.curriculum.importer.writer import dump_yaml

__all__ = ["LessonRefused", "ParsedLesson", "Repair", "dump_yaml", "parse_lesson"]
