"""Changes to cohorts, memberships, assignments and grades, each in a transaction."""

from __future__ import annotations

import logging

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from portal.classroom.models import (
    Assignment,
    Cohort,
    Extension,
    Membership,
    ResponseGrade,
    ScoreOverride,
    new_join_code,
)
from portal.quizzes.models import Answer, DiscussionResponse, Quiz

logger = logging.getLogger(__name__)


def create_cohort(instructor: User, name: str, time_zone: str) -> Cohort:
    """Create a cohort taught by its creator, retrying on the rare clash of join codes."""
    for _ in range(5):
        try:
            with transaction.atomic():
                cohort = Cohort.objects.create(
                    name=name,
                    time_zone=time_zone,
                    code=new_join_code(),
                    created_by=instructor,
                )
                Membership.objects.create(
                    cohort=cohort, user=instructor, role=Membership.Role.INSTRUCTOR
                )
        except IntegrityError:
            continue
        logger.info("Cohort %s created by %s", cohort.code, instructor.pk)
        return cohort
    raise RuntimeError("Could not draw a free join code.")


def join_cohort(user: User, cohort: Cohort) -> tuple[Membership, bool]:
    """Add the user as a learner; an existing membership, of any role, stays as it is.

    A blocked membership stays blocked: the caller refuses it.
    """
    return Membership.objects.get_or_create(
        cohort=cohort, user=user, defaults={"role": Membership.Role.LEARNER}
    )


def add_instructor(cohort: Cohort, user: User) -> Membership:
    membership, created = Membership.objects.get_or_create(
        cohort=cohort, user=user, defaults={"role": Membership.Role.INSTRUCTOR}
    )
    if not created and membership.role != Membership.Role.INSTRUCTOR:
        membership.role = Membership.Role.INSTRUCTOR
        membership.save(update_fields=["role"])
    return membership


def remove_member(membership: Membership, block: bool = False) -> bool:
    """Remove a member; refuse to remove the last instructor, which would orphan the cohort.

    With `block`, the membership stays as a blocked one, which joining refuses; removing
    a blocked membership lifts the block.
    """
    if membership.role == Membership.Role.INSTRUCTOR:
        instructors = Membership.objects.filter(
            cohort=membership.cohort, role=Membership.Role.INSTRUCTOR
        )
        if instructors.count() <= 1:
            return False
    if block:
        membership.role = Membership.Role.BLOCKED
        membership.save(update_fields=["role"])
    else:
        membership.delete()
    return True


def renew_join_code(cohort: Cohort) -> str:
    """Give the cohort a new join code; the old code and link stop working at once."""
    for _ in range(5):
        try:
            with transaction.atomic():
                cohort.code = new_join_code()
                cohort.save(update_fields=["code"])
        except IntegrityError:
            continue
        logger.info("Cohort %s got a new join code", cohort.pk)
        return cohort.code
    raise RuntimeError("Could not draw a free join code.")


def change_assignment_target(assignment: Assignment) -> tuple[int, int]:
    """Forget what was recorded against the assignment's old target.

    Overrides and extensions were given for the old activity and mean nothing for the
    new one; returns how many extensions and overrides were deleted.
    """
    extensions, _ = Extension.objects.filter(assignment=assignment).delete()
    overrides, _ = ScoreOverride.objects.filter(assignment=assignment).delete()
    return extensions, overrides


def reset_assignment(assignment: Assignment) -> int:
    """Remove every extension of the assignment; return how many there were."""
    deleted, _ = Extension.objects.filter(assignment=assignment).delete()
    logger.info("Assignment %s reset: %d extensions removed", assignment.pk, deleted)
    return deleted


def grant_extension(
    assignment: Assignment,
    learner: User,
    extra_minutes: int,
    extra_attempts: int,
    by: User,
) -> Extension:
    extension, _ = Extension.objects.update_or_create(
        assignment=assignment,
        user=learner,
        defaults={
            "extra_minutes": extra_minutes,
            "extra_attempts": extra_attempts,
            "granted_by": by,
        },
    )
    return extension


def extra_attempts_for(user: User, quiz: Quiz) -> int:
    """The extra attempts the user may take at the quiz, granted on any assignment of it.

    Extensions on several assignments of the same quiz do not add up: the largest counts.
    Only extensions in cohorts the user still attends count.
    """
    if not user.is_authenticated:
        return 0
    extra = Extension.objects.filter(
        user=user,
        assignment__quiz=quiz,
        assignment__cohort__memberships__user=user,
        assignment__cohort__memberships__role=Membership.Role.LEARNER,
    ).aggregate(most=Max("extra_attempts"))["most"]
    return int(extra or 0)


def override_score(
    assignment: Assignment,
    learner: User,
    new_score: float,
    reason: str,
    by: User,
    old_score: float | None,
) -> ScoreOverride:
    """Record a new score for the learner on the assignment, keeping the old one."""
    override = ScoreOverride.objects.create(
        assignment=assignment,
        user=learner,
        old_score=old_score,
        new_score=new_score,
        reason=reason,
        changed_by=by,
        changed_at=timezone.now(),
    )
    logger.info(
        "Score of user %s on assignment %s overridden by %s: %s -> %s",
        learner.pk,
        assignment.pk,
        by.pk,
        old_score,
        new_score,
    )
    return override


def grade_answer(answer: Answer, points: float, feedback: str, by: User) -> None:
    """Grade an open quiz answer: the mark counts in the attempt's score from now on.

    Every grading adds a ResponseGrade row (the audit trail; the newest is current), and
    the mark is written onto the answer and its attempt by `apply_manual_mark`. The
    feedback is also shown on the learner's review.
    """
    # Imported here: portal.quizzes.attempts imports this module.
    from portal.quizzes.attempts import apply_manual_mark

    maximum = answer.question.points
    fraction = points / maximum if maximum else 0.0
    with transaction.atomic():
        ResponseGrade.objects.create(
            answer=answer,
            points=points,
            feedback=feedback,
            graded_by=by,
            graded_at=timezone.now(),
        )
        Answer.objects.filter(pk=answer.pk).update(feedback=feedback)
        apply_manual_mark(answer, min(1.0, max(0.0, fraction)), by)


def grade_discussion(
    response: DiscussionResponse, grade: float, feedback: str, by: User
) -> None:
    response.grade = grade
    response.feedback = feedback
    response.graded_by = by
    response.graded_at = timezone.now()
    response.save(update_fields=["grade", "feedback", "graded_by", "graded_at"])
