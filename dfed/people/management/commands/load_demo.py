from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dfed.people import demo
from dfed.people.extensions import demo_steps


class Command(BaseCommand):
    help = "载入演示数据：示范区行政区划、约2000名残疾人、各角色演示账号及各业务模块的演示数据。"

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=2000, help="演示残疾人人数")

    def handle(self, *args, people, **options):
        if not settings.DEMO_ALLOWED:
            raise CommandError("当前配置（生产环境）不允许载入演示数据。")
        towns = demo.load_areas()
        demo.load_users(towns)
        created = demo.load_people(count=people)
        self.stdout.write(f"行政区划与演示账号就绪；新增残疾人 {created} 名。")
        for step in demo_steps():
            step.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已载入。"))
