from dfed.imports.management.command import ImportCommand


class Command(ImportCommand):
    help = (
        "导入残疾人之家成员名册（xlsx/xls/csv）：全部正确才写入。"
        "退出码 0 成功（或预检无误），1 有行错误（未写入），2 文件无法读取或用法错误。"
    )
    importer = "home_members"
