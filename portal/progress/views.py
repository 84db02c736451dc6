from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from portal.accounts.decorators import sign_in_required
from portal.accounts.http import AuthenticatedHttpRequest
from portal.accounts.models import Profile
from portal.classroom.matrix import CohortWork, learner_work
from portal.curriculum.models import Lesson, Section
from portal.progress.completion import LESSON_END_ANCHOR
from portal.progress.models import Activity, LessonProgress
from portal.progress.services import mark_sections_read
from portal.progress.summary import learner_overview, lesson_status


def _section_url(slug: str, kind: str) -> str:
    anchor = Section(kind=kind).anchor
    return reverse("curriculum:lesson-detail", args=[slug]) + f"#{anchor}"


def _lesson_end_url(slug: str) -> str:
    return reverse("curriculum:lesson-detail", args=[slug]) + f"#{LESSON_END_ANCHOR}"


def _updated_controls(
    request: AuthenticatedHttpRequest, lesson: Lesson, announcement: str
) -> HttpResponse:
    """The fragment htmx swaps in: every read control and the progress panel."""
    sections = list(lesson.sections.filter(is_retired=False))
    progress = LessonProgress.objects.prefetch_related(
        "sections_read", "scenario_results"
    ).get(user=request.user, lesson=lesson)
    progress.lesson = lesson
    context = {
        "lesson": lesson,
        "sections": sections,
        "status": lesson_status(progress, sections),
        "announcement": announcement,
        "oob": True,
    }
    return render(request, "progress/_lesson_progress.html#updates", context)


@require_POST
@sign_in_required(back=_section_url)
def mark_section_read(
    request: AuthenticatedHttpRequest, slug: str, kind: str
) -> HttpResponse:
    lesson = get_object_or_404(Lesson.objects.current(), slug=slug)
    section = get_object_or_404(lesson.sections.filter(is_retired=False), kind=kind)

    mark_sections_read(request.user, lesson, [section.kind])

    if request.htmx:
        return _updated_controls(request, lesson, f"“{section.title}” marked as read.")
    return redirect(_section_url(slug, kind))


@require_POST
@sign_in_required(back=_lesson_end_url)
def mark_lesson_read(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    lesson = get_object_or_404(Lesson.objects.current(), slug=slug)
    kinds = list(
        lesson.sections.filter(is_retired=False).values_list("kind", flat=True)
    )

    mark_sections_read(request.user, lesson, kinds)

    if request.htmx:
        return _updated_controls(request, lesson, "Every section is marked as read.")
    return redirect(_lesson_end_url(slug))


@require_safe
@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    overview = learner_overview(request.user)
    cohorts = CohortWork([], [])
    if overview.attends_cohort:
        cohorts = learner_work(request.user.pk, feedback=overview.has_feedback)
    context = {
        "overview": overview,
        "assignments": cohorts.assignments,
        "feedback": cohorts.feedback,
    }
    return render(request, "progress/dashboard.html", context)


@require_safe
@login_required
def lesson_progress_detail(
    request: AuthenticatedHttpRequest, slug: str
) -> HttpResponse:
    progress = get_object_or_404(
        LessonProgress.objects.select_related("lesson").prefetch_related(
            "sections_read", "scenario_results"
        ),
        user=request.user,
        lesson__slug=slug,
    )
    sections = list(progress.lesson.sections.filter(is_retired=False))
    titles = {section.kind: section.title for section in sections}
    activities = Activity.objects.filter(
        user=request.user, lesson=progress.lesson
    ).select_related("lesson__quiz")[:50]
    return render(
        request,
        "progress/lessonprogress_detail.html",
        {
            "status": lesson_status(progress, sections),
            "reads": [
                (read, titles.get(read.kind)) for read in progress.sections_read.all()
            ],
            "activities": activities,
            "time_zone": Profile.objects.for_user(request.user).time_zone,
        },
    )
