"""What the two sites show, as DOMAIN.md quotes the handout: the volunteer must find these."""

LABELS_1365 = (
    "'정보 수정'",
    "'나의자원봉사' → '회원정보관리' → '자원봉사활동 부가정보'",
    "'봉사실적 연계를 위한 정보제공 동의'",
    "'동의'",
)
LABELS_VMS = (
    "'마이페이지'",
    "'회원정보-개인정보'",
    "'1365자원봉사포털 연계 동의'",
    "'1365자원봉사포털과 VMS 실적정보 연계에 동의합니다'",
    "'수정'",
)
