import factory

from dfed.notifications.models import SmsMessage


class SmsMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SmsMessage

    phone = factory.Sequence(lambda n: f"139{n:08d}")
    body = "测试短信"
    purpose = "test"
    idempotency_key = factory.Sequence(lambda n: f"test-{n}")
