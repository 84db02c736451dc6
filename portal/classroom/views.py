"""Cohort pages for instructors, and joining a cohort for learners.

Every instructor view looks its cohort up among the cohorts the user teaches, so an
outsider, a learner or another cohort's instructor gets 404, never a hint that it exists.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from portal.accounts.decorators import sign_in_required
from portal.accounts.http import AuthenticatedHttpRequest
from portal.accounts.roles import is_instructor
from portal.classroom import exports, services
from portal.classroom.forms import (
    AnswerGradeForm,
    AssignmentForm,
    CohortForm,
    DiscussionGradeForm,
    ExtensionForm,
    InstructorForm,
    JoinForm,
    OverrideForm,
    target_of,
)
from portal.classroom.matrix import (
    STATE_LABELS,
    build_matrix,
    cohort_assignments,
    learner_cells,
    sort_and_filter,
)
from portal.classroom.models import (
    Assignment,
    Cohort,
    Extension,
    Membership,
    ScoreOverride,
)
from portal.classroom.replay import run_steps
from portal.classroom.statistics import quiz_report, scenario_report
from portal.quizzes.models import (
    REVIEW_ITEMS,
    Answer,
    Attempt,
    DiscussionResponse,
    Question,
    Quiz,
)
from portal.quizzes.review import question_item, review_item
from portal.sandbox.models import Run, Scenario

# Learners per page of the progress matrix.
MATRIX_PAGE_SIZE = 50


def _cohort_url(code: str, *args: Any, **kwargs: Any) -> str:
    return reverse("classroom:cohort", args=[code])


def _grading_url(code: str, *args: Any, **kwargs: Any) -> str:
    return reverse("classroom:grading", args=[code])


def _learners(cohort: Cohort) -> Any:
    return Membership.objects.filter(
        cohort=cohort, role=Membership.Role.LEARNER
    ).values("user_id")


def _assigned_quizzes(cohort: Cohort) -> Any:
    return Assignment.objects.filter(cohort=cohort, quiz__isnull=False).values(
        "quiz_id"
    )


def _assigned_lessons(cohort: Cohort) -> set[int]:
    """Lessons assigned in the cohort, directly or through their quiz."""
    assigned = Assignment.objects.filter(cohort=cohort)
    return (
        set(assigned.values_list("lesson_id", flat=True))
        | set(assigned.values_list("quiz__lesson_id", flat=True))
    ) - {None}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cohort_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    teaches = is_instructor(request.user)
    form = CohortForm(request.POST or None)
    if request.method == "POST":
        if not teaches:
            raise Http404("Only instructors create classes.")
        if form.is_valid():
            cohort = services.create_cohort(
                request.user, form.cleaned_data["name"], form.cleaned_data["time_zone"]
            )
            messages.success(request, f"Class “{cohort.name}” created.")
            return redirect(cohort)

    taught = Cohort.objects.taught_by(request.user).annotate(
        learners=Count("memberships", filter=Q(memberships__role="learner"))
    )
    attended = Cohort.objects.attended_by(request.user)
    context = {
        "taught": taught,
        "attended": attended,
        "teaches": teaches,
        "form": form,
    }
    return render(request, "classroom/cohort_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def join(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or request.GET or None)
    if request.method == "POST" and form.is_valid():
        cohort = Cohort.objects.filter(code=form.cleaned_data["code"]).first()
        if cohort is None:
            form.add_error("code", "No class has this code. Check it and try again.")
        else:
            return _join(request, cohort)
    return render(request, "classroom/cohort_join.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def join_link(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    cohort = get_object_or_404(Cohort, code=code.upper())

    if request.method == "POST":
        return _join(request, cohort)
    return render(request, "classroom/cohort_join.html", {"cohort": cohort})


def _join(request: AuthenticatedHttpRequest, cohort: Cohort) -> HttpResponse:
    membership, created = services.join_cohort(request.user, cohort)
    if membership.role == Membership.Role.BLOCKED:
        messages.error(
            request,
            f"You were removed from “{cohort.name}” and cannot join it again. "
            "Ask its instructor if this is a mistake.",
        )
        return redirect("classroom:join")
    if created:
        messages.success(request, f"You joined “{cohort.name}”.")
    else:
        messages.info(request, f"You are already in “{cohort.name}”.")
    if membership.role == Membership.Role.INSTRUCTOR:
        return redirect(cohort)
    return redirect("progress:dashboard")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cohort_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The cohort's page; a POST with action=new-join-code replaces the join code."""
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    if request.method == "POST":
        if request.POST.get("action") != "new-join-code":
            return HttpResponseBadRequest("Unknown action.")
        services.renew_join_code(cohort)
        messages.success(
            request,
            f"New join code {cohort.code}: the old code and link no longer work.",
        )
        return redirect(cohort)

    members = Membership.objects.filter(cohort=cohort).select_related("user__profile")
    context = {
        "cohort": cohort,
        "members": members,
        "assignments": cohort_assignments(cohort),
        "join_link": request.build_absolute_uri(cohort.join_url()),
        "instructor_form": InstructorForm(),
    }
    return render(request, "classroom/cohort_detail.html", context)


@require_POST
@sign_in_required(back=_cohort_url)
def add_instructor(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    form = InstructorForm(request.POST)

    if form.is_valid():
        user = form.cleaned_data["username"]
        services.add_instructor(cohort, user)
        messages.success(request, f"{user.get_username()} now teaches this class.")
    else:
        messages.error(request, " ".join(str(e) for e in form.errors["username"]))
    return redirect(cohort)


@require_POST
@sign_in_required(back=_cohort_url)
def remove_member(
    request: AuthenticatedHttpRequest, code: str, membership_id: int
) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    membership = get_object_or_404(
        cohort.memberships.select_related("user"), pk=membership_id
    )

    block = request.POST.get("block") == "1"
    if services.remove_member(membership, block=block):
        name = membership.user.get_username()
        if block:
            messages.success(
                request, f"{name} was removed and blocked from joining again."
            )
        else:
            messages.success(request, f"{name} was removed.")
    else:
        messages.error(request, "A class keeps at least one instructor.")
    return redirect(cohort)


@require_safe
@login_required
def matrix(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("order") == "desc"
    state = request.GET.get("state", "")
    query = request.GET.get("q", "").strip()

    # Sorting and filtering go over the whole cohort; only then is a page cut out.
    full = build_matrix(cohort)
    shown = sort_and_filter(full, sort, descending, state, query)
    page = Paginator(shown.rows, MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))

    context = {
        "cohort": cohort,
        "matrix": shown,
        "page": page,
        "sort": sort,
        "descending": descending,
        "state": state,
        "query": query,
        "states": STATE_LABELS,
    }
    template = "classroom/cohort_matrix.html"
    if request.htmx:
        template += "#matrix"
    return render(request, template, context)


@require_safe
@login_required
def learner_detail(
    request: AuthenticatedHttpRequest, code: str, user_id: int
) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    membership = get_object_or_404(
        Membership.objects.select_related("user"),
        cohort=cohort,
        user_id=user_id,
        role=Membership.Role.LEARNER,
    )
    learner = membership.user

    context = {
        "cohort": cohort,
        "learner": learner,
        "cells": learner_cells(cohort_assignments(cohort), learner.pk),
        "attempts": Attempt.objects.filter(user=learner).select_related("quiz__lesson"),
        "runs": Run.objects.filter(user=learner).select_related("scenario"),
        "discussions": DiscussionResponse.objects.filter(user=learner)
        .select_related("question__lesson", "graded_by")
        .order_by("question__lesson__position", "question__position"),
        "overrides": ScoreOverride.objects.filter(
            user=learner, assignment__cohort=cohort
        ).select_related("assignment__quiz", "assignment__lesson", "changed_by"),
    }
    return render(request, "classroom/learner_detail.html", context)


def _assignment_form_page(
    request: AuthenticatedHttpRequest, cohort: Cohort, assignment: Assignment
) -> HttpResponse:
    """Create or change an assignment; times are read in the cohort's time zone."""
    initial = {}
    if assignment.pk:
        initial = {
            "target": target_of(assignment),
            "opens_at": assignment.opens_at,
            "due_at": assignment.due_at,
        }
    with timezone.override(cohort.time_zone):
        form = AssignmentForm(request.POST or None, initial=initial)
        valid = request.method == "POST" and form.is_valid()
    if valid and _already_assigned(cohort, assignment, form.cleaned_data["target"]):
        form.add_error(
            "target",
            "This is already assigned in this class; change that assignment instead.",
        )
        valid = False
    if valid:
        created = assignment.pk is None
        retargeted = (
            not created and target_of(assignment) != form.cleaned_data["target"]
        )
        with transaction.atomic():
            form.apply(assignment).save()
            if retargeted:
                extensions, overrides = services.change_assignment_target(assignment)
        if retargeted:
            messages.success(
                request,
                f"“{assignment.title}” saved; its {extensions} extension(s) and "
                f"{overrides} score override(s) were for the old activity and were "
                "deleted.",
            )
        else:
            messages.success(
                request, f"“{assignment.title}” {'assigned' if created else 'saved'}."
            )
        return redirect(cohort)

    context: dict[str, Any] = {"cohort": cohort, "assignment": assignment, "form": form}
    if assignment.pk:
        context["extensions"] = assignment.extensions.select_related("user")
        context["extension_form"] = ExtensionForm(cohort)
    return render(request, "classroom/assignment_form.html", context)


def _already_assigned(cohort: Cohort, assignment: Assignment, target: str) -> bool:
    kind, _, pk = target.partition(":")
    if kind not in Assignment.Kind.values or not pk.isdigit():
        return False
    return (
        Assignment.objects.filter(cohort=cohort, **{f"{kind}_id": int(pk)})
        .exclude(pk=assignment.pk)
        .exists()
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def assignment_create(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    return _assignment_form_page(request, cohort, Assignment(cohort=cohort))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def assignment_detail(
    request: AuthenticatedHttpRequest, code: str, pk: int
) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    assignment = get_object_or_404(cohort_assignments(cohort), pk=pk)
    return _assignment_form_page(request, cohort, assignment)


def _assignment_url(code: str, pk: int, *args: Any, **kwargs: Any) -> str:
    return reverse("classroom:assignment", args=[code, pk])


@require_POST
@sign_in_required(back=_cohort_url)
def assignment_delete(
    request: AuthenticatedHttpRequest, code: str, pk: int
) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    assignment = get_object_or_404(cohort_assignments(cohort), pk=pk)

    title = assignment.title
    assignment.delete()  # Its extensions and overrides go with it.

    messages.success(request, f"“{title}” is no longer assigned.")
    return redirect(cohort)


@require_POST
@sign_in_required(back=_assignment_url)
def assignment_reset(
    request: AuthenticatedHttpRequest, code: str, pk: int
) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    assignment = get_object_or_404(cohort_assignments(cohort), pk=pk)

    removed = services.reset_assignment(assignment)

    messages.success(request, f"Reset: {removed} extension(s) removed.")
    return redirect(_assignment_url(code, pk))


@require_POST
@sign_in_required(back=_assignment_url)
def extension_grant(
    request: AuthenticatedHttpRequest, code: str, pk: int
) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    assignment = get_object_or_404(cohort_assignments(cohort), pk=pk)
    form = ExtensionForm(cohort, request.POST)

    if form.is_valid():
        services.grant_extension(
            assignment,
            form.cleaned_data["learner"],
            form.cleaned_data["extra_minutes"],
            form.cleaned_data["extra_attempts"],
            by=request.user,
        )
        messages.success(request, "Extension saved.")
    else:
        problems = [
            f"{form.fields[name].label or name.replace('_', ' ').capitalize()}: "
            + " ".join(str(error) for error in errors)
            for name, errors in form.errors.items()
            if name in form.fields
        ] + [str(error) for error in form.non_field_errors()]
        messages.error(request, "The extension was not saved. " + " ".join(problems))
    return redirect(_assignment_url(code, pk))


@require_POST
@sign_in_required(back=_assignment_url)
def extension_delete(
    request: AuthenticatedHttpRequest, code: str, pk: int, extension_id: int
) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    extension = get_object_or_404(
        Extension, pk=extension_id, assignment__pk=pk, assignment__cohort=cohort
    )

    extension.delete()

    messages.success(request, "Extension removed.")
    return redirect(_assignment_url(code, pk))


@require_safe
@login_required
def review_attempt(
    request: AuthenticatedHttpRequest, code: str, attempt_id: int
) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    attempt = get_object_or_404(
        Attempt.objects.filter(user__in=_learners(cohort)).select_related(
            "quiz__lesson", "user"
        ),
        pk=attempt_id,
    )

    answers = attempt.answers.select_related(
        "question", "version", "graded_version"
    ).prefetch_related("instructor_grades__graded_by")
    everything = set(REVIEW_ITEMS)
    items = [
        (
            question_item(attempt, answer),
            review_item(attempt, answer, everything),
            _latest_grade(answer),
        )
        for answer in answers
    ]
    awaiting = sum(
        1
        for seen, _, grade in items
        if seen.kind == Question.Kind.OPEN and grade is None
    )
    context = {
        "cohort": cohort,
        "attempt": attempt,
        "items": items,
        "awaiting": awaiting if attempt.is_submitted else 0,
    }
    return render(request, "classroom/attempt_review.html", context)


def _latest_grade(answer: Answer) -> Any:
    """The answer's current instructor grade: the newest of its (prefetched) rows."""
    grades = list(answer.instructor_grades.all())
    return grades[0] if grades else None


@require_safe
@login_required
def review_run(
    request: AuthenticatedHttpRequest, code: str, run_id: int
) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    run = get_object_or_404(
        Run.objects.filter(user__in=_learners(cohort)).select_related(
            "scenario", "user"
        ),
        pk=run_id,
    )
    texts = list(run.actions.values_list("at", "text"))
    try:
        step = int(request.GET.get("step", len(texts)))
    except ValueError:
        step = len(texts)
    step = max(0, min(step, len(texts)))

    replayed = run_steps(run.scenario.data, run.seed, texts, step)

    context = {
        "cohort": cohort,
        "run": run,
        "replay": replayed,
        "step": step,
        "steps": list(range(len(texts) + 1)),
        "texts": texts,
        "previous": step - 1 if step > 0 else None,
        "next": step + 1 if step < len(texts) else None,
    }
    template = "classroom/run_replay.html"
    if request.htmx:
        template += "#step"
    return render(request, template, context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def override(
    request: AuthenticatedHttpRequest, code: str, pk: int, user_id: int
) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    assignment = get_object_or_404(cohort_assignments(cohort), pk=pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user"),
        cohort=cohort,
        user_id=user_id,
        role=Membership.Role.LEARNER,
    )
    learner = membership.user
    (cell,) = learner_cells(cohort_assignments(cohort).filter(pk=pk), learner.pk)
    form = OverrideForm(request.POST or None)

    if request.method == "POST" and form.is_valid():
        services.override_score(
            assignment,
            learner,
            form.cleaned_data["score"],
            form.cleaned_data["reason"],
            by=request.user,
            old_score=cell.score,
        )
        messages.success(request, "Score changed; the change is in the audit trail.")
        return redirect("classroom:learner", code, learner.pk)

    trail = ScoreOverride.objects.filter(
        assignment=assignment, user=learner
    ).select_related("changed_by")
    context = {
        "cohort": cohort,
        "assignment": assignment,
        "learner": learner,
        "cell": cell,
        "form": form,
        "trail": trail,
    }
    return render(request, "classroom/override_form.html", context)


@require_safe
@login_required
def grading(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    learners = _learners(cohort)

    answers = (
        Answer.objects.filter(
            question__kind=Question.Kind.OPEN,
            attempt__state=Attempt.State.SUBMITTED,
            attempt__user__in=learners,
            attempt__quiz__in=_assigned_quizzes(cohort),
            instructor_grades__isnull=True,
        )
        .select_related("attempt__user", "attempt__quiz__lesson", "question", "version")
        .order_by("attempt__submitted_at", "pk")
    )
    discussions = (
        DiscussionResponse.objects.filter(
            user__in=learners,
            graded_at__isnull=True,
            question__lesson__in=_assigned_lessons(cohort),
        )
        .select_related("user", "question__lesson")
        .order_by("submitted_at", "pk")
    )
    context = {
        "cohort": cohort,
        "answers": [(a, AnswerGradeForm(a.question.points)) for a in answers],
        "discussions": [(d, DiscussionGradeForm()) for d in discussions],
    }
    return render(request, "classroom/grading_queue.html", context)


@require_POST
@sign_in_required(back=_grading_url)
def grade_answer(
    request: AuthenticatedHttpRequest, code: str, answer_id: int
) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    answer = get_object_or_404(
        Answer.objects.filter(
            question__kind=Question.Kind.OPEN,
            attempt__user__in=_learners(cohort),
            attempt__quiz__in=_assigned_quizzes(cohort),
            attempt__state=Attempt.State.SUBMITTED,
        ).select_related(
            "attempt__user", "attempt__quiz__lesson", "question", "version"
        ),
        pk=answer_id,
    )
    form = AnswerGradeForm(answer.question.points, request.POST)

    if form.is_valid():
        services.grade_answer(
            answer,
            form.cleaned_data["points"],
            form.cleaned_data["feedback"],
            request.user,
        )
    return _graded(request, cohort, "answer", answer, form)


@require_POST
@sign_in_required(back=_grading_url)
def grade_discussion(
    request: AuthenticatedHttpRequest, code: str, response_id: int
) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    response = get_object_or_404(
        DiscussionResponse.objects.filter(
            user__in=_learners(cohort),
            question__lesson__in=_assigned_lessons(cohort),
        ).select_related("user", "question__lesson"),
        pk=response_id,
    )
    form = DiscussionGradeForm(request.POST)

    if form.is_valid():
        services.grade_discussion(
            response,
            form.cleaned_data["mark"] / 100,
            form.cleaned_data["feedback"],
            request.user,
        )
    return _graded(request, cohort, "discussion", response, form)


def _graded(
    request: AuthenticatedHttpRequest,
    cohort: Cohort,
    kind: str,
    item: Answer | DiscussionResponse,
    form: AnswerGradeForm | DiscussionGradeForm,
) -> HttpResponse:
    """Answer the grading form: the item's fragment for htmx, else back to the queue."""
    if request.htmx:
        context = {"cohort": cohort, "kind": kind, "item": item, "form": form}
        partial = "answer-item" if kind == "answer" else "discussion-item"
        return render(request, f"classroom/grading_queue.html#{partial}", context)
    if form.is_valid():
        messages.success(request, "Grade and feedback saved.")
    else:
        messages.error(
            request,
            "Not saved: "
            + " ".join(
                str(error) for errors in form.errors.values() for error in errors
            ),
        )
    return redirect("classroom:grading", cohort.code)


def _mode(request: HttpRequest) -> str:
    return "all" if request.GET.get("attempts") == "all" else "first"


@require_safe
@login_required
def quiz_statistics(
    request: AuthenticatedHttpRequest, code: str, slug: str
) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    quiz = get_object_or_404(Quiz.objects.select_related("lesson"), lesson__slug=slug)

    report = quiz_report(cohort, quiz, _mode(request))

    context = {"cohort": cohort, "subject": quiz, "report": report, "is_quiz": True}
    return render(request, "classroom/statistics.html", context)


@require_safe
@login_required
def scenario_statistics(
    request: AuthenticatedHttpRequest, code: str, slug: str
) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    scenario = get_object_or_404(Scenario, slug=slug)

    report = scenario_report(cohort, scenario, _mode(request))

    context = {"cohort": cohort, "subject": scenario, "report": report}
    return render(request, "classroom/statistics.html", context)


@require_safe
@login_required
def export_grades(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    return exports.grades_csv(cohort, build_matrix(cohort))


@require_safe
@login_required
def export_responses(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.taught_by(request.user), code=code)
    return exports.responses_csv(cohort)
