import datetime

import factory

from integrity.models import Department, ResponsibilityLetter, Staff, StudySession, Talk


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"科室{n}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    name = factory.Sequence(lambda n: f"职工{n}")
    department = factory.SubFactory(DepartmentFactory)
    post = Staff.Post.STAFF
    phone = factory.Sequence(lambda n: f"138{n:08d}")


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponsibilityLetter

    year = 2026
    issuer = factory.SubFactory(StaffFactory, post=Staff.Post.SECRETARY)
    signer = factory.SubFactory(StaffFactory, post=Staff.Post.DEPUTY)
    signed_on = datetime.date(2026, 2, 10)


class StudySessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudySession

    held_on = datetime.date(2026, 3, 5)
    kind = StudySession.Kind.SPECIAL
    topic = "研究部署党风廉政建设工作"


class TalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talk

    held_on = datetime.date(2026, 4, 1)
    talker = factory.SubFactory(StaffFactory, post=Staff.Post.SECRETARY)
    talkee = factory.SubFactory(StaffFactory)
    topic = "廉政谈话"
    content = "谈话内容机密"
