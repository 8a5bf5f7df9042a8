"""전체 공지(/broadcast)와 글 검사 문장. 키는 en_broadcast.py와 같아야 합니다."""

TEXTS: dict[str, str] = {
    # 대상
    "bc.segment.all": "활동 중인 모든 봉사자",
    "bc.segment.not_linked": "계정을 연결하지 않은 봉사자",
    "bc.segment.consent_incomplete": "동의를 마치지 않은 봉사자",
    "bc.segment.unsent_or_failed": "실적을 전송하지 않았거나 전송에 실패한 봉사자",
    "bc.segment.never_sent": "연결했지만 한 번도 전송하지 않은 봉사자",
    # 가이드 모드(VMS 연결 없음): 봉사자가 직접 알려 준 내용으로 세요.
    "bc.segment.guide.consent_incomplete": "동의를 마쳤다고 답하지 않은 봉사자",
    "bc.segment.guide.unsent_or_failed": "보냈다고 했지만 1365 확인을 안 한 봉사자",
    "bc.segment.guide.never_sent": "VMS에서 보냈다고 알려 준 적 없는 봉사자",
    "bc.segment_short.guide.consent_incomplete": "동의 답 없음",
    "bc.segment_short.guide.unsent_or_failed": "1365 확인 안 함",
    "bc.segment_short.guide.never_sent": "보냈다는 답 없음",
    "bc.fresh": (
        "ⓘ 동의와 전송 숫자는 봇이 봉사자마다 VMS에서 마지막으로 확인한 내용이에요. "
        "가장 오래된 것은 {when} 기준이에요."
    ),
    "bc.fresh.unknown": "아직 한 번도 확인하지 못한 {count}명은 동의 미완료로 셌어요.",
    "bc.fresh.guide": (
        "ⓘ 이 봇은 VMS와 연결되어 있지 않아서, 동의와 전송 숫자는 봉사자가 직접 알려 준 내용 기준이에요."
    ),
    "bc.segment_short.all": "모든 봉사자",
    "bc.segment_short.not_linked": "미연결",
    "bc.segment_short.consent_incomplete": "동의 미완료",
    "bc.segment_short.unsent_or_failed": "미전송·실패",
    "bc.segment_short.never_sent": "전송 이력 없음",
    "bc.language.any": "모든 언어",
    "bc.language.ko": "한국어 사용자만",
    "bc.language.en": "영어 사용자만",
    "bc.line": "• {segment}: <b>{recipients}명</b>{notes}",
    # 받는 사람 수 옆의 설명: 0명인 것은 말하지 않아요.
    "bc.notes": " ({notes})",
    "bc.note.blocked": "봇을 차단한 {count}명은 빠져요",
    "bc.note.notices_off_included": "센터 알림을 끈 {count}명도 받아요",
    "bc.note.notices_off_left_out": "센터 알림을 끈 {count}명은 빠져요",
    "bc.note.separator": ", ",
    "bc.audience": (
        "<b>공지 보내기</b>\n"
        "누구에게 보낼까요? 숫자는 지금 받을 사람 수예요.\n\n"
        "{lines}\n\n"
        "언어: {language}\n"
        "알림으로 보내기: {reminder} (알림으로 보내면 센터 알림을 끈 봉사자는 빠져요)"
    ),
    "bc.on": "켬",
    "bc.off": "끔",
    "bc.button.segment": "{segment} · {count}명",
    "bc.button.language": "🌐 {language}",
    "bc.button.reminder_on": "🔔 알림으로 보내기: 켬",
    "bc.button.reminder_off": "🔕 알림으로 보내기: 끔",
    "bc.button.cancel": "취소",
    "bc.nobody": "이 대상에는 지금 받을 사람이 없어요. 다른 대상을 골라 주세요.",
    # 글
    "bc.ask_text": (
        "<b>{segment}</b> · {language} · {recipients}명\n\n"
        "보낼 글을 써 주세요. 영어 사용자에게 다른 글을 보내려면 다음 단계에서 따로 쓸 수 있어요.\n\n"
        "{howto}"
    ),
    "compose.howto": (
        "텔레그램 HTML 서식을 쓸 수 있어요. 예: &lt;b&gt;굵게&lt;/b&gt;, &lt;i&gt;기울임&lt;/i&gt;,"
        ' &lt;u&gt;밑줄&lt;/u&gt;, &lt;a href="https://…"&gt;링크&lt;/a&gt;,'
        " &lt;code&gt;코드&lt;/code&gt;, &lt;blockquote&gt;인용&lt;/blockquote&gt;.\n"
        "글자 &lt; &gt; &amp;는 &amp;lt; &amp;gt; &amp;amp;로 써 주세요."
    ),
    "compose.ask_text_en": (
        "영어 사용자에게 보낼 글(English)을 따로 쓰려면 지금 보내 주세요.\n"
        "따로 쓰지 않으면 모두 같은 글을 받아요."
    ),
    "compose.split": (
        "방금 받은 글은 앞의 공지에 이어지는 뒷부분 같아요. 텔레그램은 한 메시지 한도보다 긴 글을 "
        "여러 메시지로 나눠 보내요. 두 부분을 합치면 {length}자라 한도({limit}자)보다 {over}자 길어서, "
        "한 공지로 보낼 수 없어요. 줄여서 한 메시지로 다시 보내 주세요.\n"
        "뒷부분이 아니라 영어 사용자에게 보낼 글이었다면 아래에서 골라 주세요."
    ),
    "compose.button.split_rewrite": "✂️ 줄여서 다시 쓰기",
    "compose.button.split_en": "🇬🇧 영어 글이 맞아요",
    "compose.button.same_text": "모두 같은 글로 보내기",
    "compose.preview": "<b>미리보기</b>예요. 받는 사람에게는 아래 메시지와 똑같이 보여요.",
    "compose.preview_for": "▼ {language} 사용자가 받는 글",
    "compose.for.ko": "한국어",
    "compose.for.en": "영어",
    "compose.for.all": "모든",
    "compose.not_text": "글로 써 주세요. 사진이나 스티커는 공지로 보낼 수 없어요.",
    # 확인
    "bc.confirm": (
        "<b>{segment}</b> · {language}\n"
        "지금 받을 사람: <b>{recipients}명</b>{notes}\n"
        "{texts}\n\n"
        "이대로 보낼까요?"
    ),
    "bc.confirm.one_text": "모두 같은 글을 받아요.",
    "bc.confirm.two_texts": "영어 사용자는 영어 글을 받아요.",
    "bc.button.send": "보내기 · {count}명",
    "compose.button.rewrite": "✏️ 다시 쓰기",
    "bc.launched": (
        "공지 #{id:을} {recipients}명에게 보내기 시작했어요.\n"
        "진행 상황은 이 대화에서 알려 드릴게요."
    ),
    "bc.cancelled": "공지를 보내지 않았어요. 아무에게도 가지 않았어요.",
    "bc.expired": "공지를 쓰기 시작한 지 오래돼서 닫았어요. /broadcast 로 다시 시작해 주세요.",
    # 글 검사
    "compose.problem": "이 글은 보낼 수 없어요. {why}{where}\n고쳐서 다시 보내 주세요.",
    "compose.where": " ({position}번째 글자 근처)",
    "compose.problem.empty": "보낼 글자가 없어요.",
    "compose.problem.too_long": (
        "글이 너무 길어요. 서식을 빼고 {length}자인데, 한 메시지는 {limit}자까지예요."
    ),
    "compose.problem.amp": "글자 &amp;는 &amp;amp;로 써 주세요.",
    "compose.problem.gt": "글자 &gt;는 &amp;gt;로 써 주세요.",
    "compose.problem.lt": "글자 &lt;는 &amp;lt;로 써 주세요.",
    "compose.problem.entity": (
        "텔레그램이 모르는 &amp;…; 표기가 있어요. &amp;lt; &amp;gt; &amp;amp; &amp;quot;와"
        " 숫자 표기(&amp;#123;)만 쓸 수 있어요."
    ),
    "compose.problem.tag": (
        "&lt;{tag}&gt; 태그는 텔레그램에서 쓸 수 없어요. 쓸 수 있는 태그는 b, i, u, s, a,"
        " code, pre, blockquote, tg-spoiler예요."
    ),
    "compose.problem.span": 'span 태그에는 class="tg-spoiler"가 있어야 해요.',
    "compose.problem.href": '링크 태그 a에는 href="https://…" 주소가 있어야 해요.',
    "compose.problem.emoji": "tg-emoji 태그에는 숫자로 된 emoji-id가 있어야 해요.",
    "compose.problem.unopened": "열지 않은 태그를 닫았어요.",
    "compose.problem.unclosed": "&lt;{tag}&gt; 태그를 닫지 않았어요. 끝에 닫는 태그 &lt;/{tag}&gt;도 써 주세요.",
    "compose.problem.mismatch": (
        "태그가 엇갈렸어요. 안쪽 태그부터 닫아 주세요. 지금 닫아야 하는 태그는 &lt;/{tag}&gt;예요."
    ),
    "compose.problem.syntax": "태그 모양이 맞지 않아요. 따옴표와 꺾쇠(&gt;)가 제대로 닫혔는지 확인해 주세요.",
    "compose.problem.telegram": "텔레그램이 이 글을 받지 않았어요: {detail}",
}
