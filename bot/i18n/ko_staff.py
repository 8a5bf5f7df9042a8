"""센터 담당자 기능의 한국어 문장. 키는 en_staff.py와 같아야 합니다."""

TEXTS: dict[str, str] = {
    "staff.only": "센터 담당자만 쓸 수 있는 명령이에요.",
    "staff.only_button": "센터 담당자만 쓸 수 있는 버튼이에요.",
}
