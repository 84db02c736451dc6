"""Recording progress. Every function writes in one transaction and is idempotent.

This is the API other apps call: the quiz app calls `record_quiz_result` once an attempt is
graded, the sandbox calls `record_scenario_result` once a run is finished. Both keep only
the best result, so calling them again with the same result changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from portal.curriculum.models import Lesson, Section
from portal.progress.completion import evaluate
from portal.progress.models import Activity, LessonProgress, ScenarioResult, SectionRead

logger = logging.getLogger(__name__)

# A reader requests the lesson they are reading again and again. A visit to the lesson
# they visited last, within this long of the visit recorded, is not written again; one to
# another lesson always is, so the latest visit still says where they left off.
VISIT_INTERVAL = timedelta(minutes=5)


def _progress(user: User, lesson: Lesson) -> LessonProgress:
    progress, _ = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    progress.lesson = lesson
    return progress


def _log(user: User, lesson: Lesson, kind: str, at: datetime, detail: str = "") -> None:
    Activity.objects.create(user=user, lesson=lesson, kind=kind, detail=detail, at=at)


def _start(progress: LessonProgress, at: datetime) -> None:
    if progress.first_opened_at is None:
        progress.first_opened_at = at
        progress.last_visited_at = at
        progress.save(update_fields=["first_opened_at", "last_visited_at"])
        _log(progress.user, progress.lesson, Activity.Kind.STARTED, at)


def _check_completion(progress: LessonProgress, at: datetime) -> None:
    """Stamp the lesson complete the first time its rule is met."""
    if progress.completed_at is not None:
        return
    lesson = progress.lesson
    status = evaluate(
        lesson,
        list(lesson.sections.filter(is_retired=False)),
        progress,
        [read.kind for read in progress.sections_read.all()],
        list(progress.scenario_results.all()),
    )
    if status.done >= status.total and status.is_started:
        progress.completed_at = at
        progress.save(update_fields=["completed_at"])
        _log(progress.user, lesson, Activity.Kind.COMPLETED, at)
        logger.debug("%s completed %s", progress.user, lesson.slug)


def visited_elsewhere_since(user: User) -> Exists:
    """Whether the user visited another lesson after the progress row's last visit,
    as an expression to annotate the user's `LessonProgress` rows with."""
    # A later visit can only be to another lesson: the row's own is not later.
    later = LessonProgress.objects.filter(
        user=user, last_visited_at__gt=OuterRef("last_visited_at")
    )
    return Exists(later)


def record_visit(
    user: User,
    lesson: Lesson,
    at: datetime | None = None,
    progress: LessonProgress | None = None,
    elsewhere_since: bool = True,
) -> LessonProgress:
    """Note that the learner opened the lesson page.

    `progress` is the learner's row in the lesson when the caller has already read it.
    A lesson started before then costs a single UPDATE; only the first visit inserts.
    A caller that read the row with `visited_elsewhere_since` passes it as
    `elsewhere_since`: when the learner has visited no other lesson since, a visit
    within `VISIT_INTERVAL` of the one recorded writes nothing. The first visit is
    always recorded exactly.
    """
    at = at or timezone.now()
    if progress is not None and progress.first_opened_at is not None:
        if not elsewhere_since and _recently_visited(progress, at):
            return progress
        # One UPDATE is atomic by itself, and setting the time again is harmless.
        LessonProgress.objects.filter(pk=progress.pk).update(last_visited_at=at)
        progress.last_visited_at = at
        return progress

    with transaction.atomic():
        progress, created = LessonProgress.objects.get_or_create(
            user=user,
            lesson=lesson,
            defaults={"first_opened_at": at, "last_visited_at": at},
        )
        progress.lesson = lesson
        if created:
            _log(user, lesson, Activity.Kind.STARTED, at)
        elif progress.first_opened_at is None:
            _start(progress, at)
        else:
            progress.last_visited_at = at
            progress.save(update_fields=["last_visited_at"])
    return progress


def _recently_visited(progress: LessonProgress, at: datetime) -> bool:
    last = progress.last_visited_at
    return last is not None and timedelta(0) <= at - last < VISIT_INTERVAL


def mark_sections_read(
    user: User,
    lesson: Lesson,
    kinds: Iterable[str],
    at: datetime | None = None,
) -> list[str]:
    """Mark sections read by kind; return the kinds that were not read before."""
    at = at or timezone.now()
    kinds = list(kinds)
    with transaction.atomic():
        progress = _progress(user, lesson)
        known = set(progress.sections_read.values_list("kind", flat=True))
        new = [kind for kind in kinds if kind not in known]
        if not new:
            return []

        _start(progress, at)
        SectionRead.objects.bulk_create(
            [SectionRead(progress=progress, kind=kind, read_at=at) for kind in new],
            ignore_conflicts=True,
        )
        progress.last_section = kinds[-1]
        progress.save(update_fields=["last_section"])

        if len(kinds) == 1:
            title = Section.objects.filter(lesson=lesson, kind=new[0]).values_list(
                "title", flat=True
            )
            _log(
                user, lesson, Activity.Kind.SECTION_READ, at, detail=title.first() or ""
            )
        else:
            _log(user, lesson, Activity.Kind.READ_TO_END, at)
        _check_completion(progress, at)
    return new


def record_quiz_result(
    user: User,
    lesson: Lesson,
    score: float,
    passed: bool,
    at: datetime | None = None,
) -> LessonProgress:
    """Keep the best quiz score (percent) and the moment the quiz was first passed."""
    at = at or timezone.now()
    with transaction.atomic():
        progress = _progress(user, lesson)
        fields = []
        if progress.quiz_best_score is None or score > progress.quiz_best_score:
            progress.quiz_best_score = score
            progress.quiz_best_at = at
            fields += ["quiz_best_score", "quiz_best_at"]
        if passed and progress.quiz_passed_at is None:
            progress.quiz_passed_at = at
            fields.append("quiz_passed_at")
        if fields:
            progress.save(update_fields=fields)
        # Every submitted attempt is logged, improving or not; the score in the detail
        # is shown only where the quiz's review options allow (`Activity.shown_detail`).
        detail = f"{score:g}%{', passed' if passed else ''}"
        _log(user, lesson, Activity.Kind.QUIZ, at, detail=detail)
        if fields:
            _check_completion(progress, at)
    return progress


def recompute_quiz_result(user: User, lesson: Lesson) -> LessonProgress:
    """Set the best quiz score and the pass from the learner's submitted attempts as
    they now stand, after a regrade; unlike `record_quiz_result` this may lower them.

    A change is logged as a "quiz regraded" activity with the old and new score. A
    completion already earned is kept, as for content that changes later.
    """
    from portal.quizzes.models import Attempt

    with transaction.atomic():
        progress = _progress(user, lesson)
        attempts = [
            attempt
            for attempt in Attempt.objects.filter(
                user=user, quiz__lesson=lesson, state=Attempt.State.SUBMITTED
            )
            .select_related("quiz")
            .order_by("submitted_at", "pk")
            if attempt.percent is not None
        ]
        old = (progress.quiz_best_score, progress.quiz_passed_at)
        best = max(attempts, key=lambda a: a.percent or 0.0, default=None)
        passing = [attempt for attempt in attempts if attempt.passed]
        progress.quiz_best_score = best.percent if best else None
        progress.quiz_best_at = best.submitted_at if best else None
        progress.quiz_passed_at = passing[0].submitted_at if passing else None
        if (progress.quiz_best_score, progress.quiz_passed_at) == old:
            return progress
        progress.save(
            update_fields=["quiz_best_score", "quiz_best_at", "quiz_passed_at"]
        )
        now = timezone.now()
        before = "—" if old[0] is None else f"{old[0]:g}%"
        after = (
            "—"
            if progress.quiz_best_score is None
            else f"{progress.quiz_best_score:g}%"
        )
        passed = ", passed" if progress.quiz_passed_at else ""
        _log(
            user,
            lesson,
            Activity.Kind.QUIZ_REGRADED,
            now,
            f"{before} → {after}{passed}",
        )
        _check_completion(progress, now)
    return progress


def record_scenario_result(
    user: User,
    lesson: Lesson,
    scenario_slug: str,
    score: float,
    at: datetime | None = None,
) -> ScenarioResult:
    """Note a finished scenario run, keeping the best score (percent) per scenario."""
    at = at or timezone.now()
    with transaction.atomic():
        progress = _progress(user, lesson)
        result, created = ScenarioResult.objects.get_or_create(
            progress=progress,
            scenario_slug=scenario_slug,
            defaults={"best_score": score, "best_at": at, "first_finished_at": at},
        )
        improved = not created and score > result.best_score
        if improved:
            result.best_score = score
            result.best_at = at
            result.save(update_fields=["best_score", "best_at"])
        if created or improved:
            detail = f"{scenario_slug}: {score:g}%"
            _log(user, lesson, Activity.Kind.SCENARIO, at, detail=detail)
            _check_completion(progress, at)
    return result
