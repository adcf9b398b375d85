"""The operative part of each order on a student, in Kazakh, Russian and English.

The student's name is declined as the verb needs: Russian by ``ru_name_case`` (зачислить кого? —
accusative; предоставить кому? — dative), Kazakh by ``kk_case`` (accusative before the verbal noun:
«… Серікқызын оқуға қабылдау»; dative for whom leave is granted: «… Серікқызына … демалыс беру»).
Dates follow the grammar too: «с 7 декабря 2026 г.», «2026 жылғы 7 желтоқсаннан бастап … 2027 жылғы
31 тамызға дейін», "with effect from 7 December 2026". Every value comes from the kind's ``text``
(records.kinds.student_order.order_text), which is in the document's language.
"""

from __future__ import annotations

_RU_WHOM = "{{ text.student|ru_name_case('accs', text.student_sex) }}"
_RU_TO_WHOM = "{{ text.student|ru_name_case('datv', text.student_sex) }}"
_RU_SINCE = "с {{ data.effective_date|date_ru }}"
_KK_WHOM = "{{ text.student|kk_case('accusative') }}"
_KK_TO_WHOM = "{{ text.student|kk_case('dative') }}"
_KK_SINCE = "{{ data.effective_date|date_kk|kk_case('ablative') }} бастап"
_EN_WHOM = "{{ text.student }}"
_EN_SINCE = "with effect from {{ data.effective_date|date_en }}"

ORDER_SENTENCES_RU = {
    "enrollment": f"ПРИКАЗЫВАЮ: зачислить {_RU_WHOM} на {{{{ text.year_of_study }}}} по образовательной "
    f"программе {{{{ text.programme }}}} в группу {{{{ text.group }}}} ({{{{ text.funding }}}}) {_RU_SINCE}.",
    "transfer": f"ПРИКАЗЫВАЮ: перевести {_RU_WHOM} {_RU_SINCE} (образовательная программа: "
    "{{ text.programme }}; группа: {{ text.group }}; курс: {{ text.year_of_study }}; финансирование: "
    "{{ text.funding }}).",
    "academic_leave": f"ПРИКАЗЫВАЮ: предоставить {_RU_TO_WHOM} академический отпуск {{{{ text.leave_grounds }}}} "
    f"{_RU_SINCE} по {{{{ data.end_date|date_ru }}}}.",
    "return_from_leave": f"ПРИКАЗЫВАЮ: допустить {_RU_WHOM} к занятиям после академического отпуска "
    f"{_RU_SINCE} (группа: {{{{ text.group }}}}; курс: {{{{ text.year_of_study }}}}).",
    "expulsion": f"ПРИКАЗЫВАЮ: отчислить {_RU_WHOM} {_RU_SINCE}.",
    "reinstatement": f"ПРИКАЗЫВАЮ: восстановить {_RU_WHOM} {_RU_SINCE} (группа: {{{{ text.group }}}}; "
    "курс: {{ text.year_of_study }}).",
    "next_year": f"ПРИКАЗЫВАЮ: перевести {_RU_WHOM} на следующий курс {_RU_SINCE} (курс: "
    "{{ text.year_of_study }}; группа: {{ text.group }}).",
    "final_attestation_admission": f"ПРИКАЗЫВАЮ: допустить {_RU_WHOM} к итоговой аттестации {_RU_SINCE}.",
    "graduation": f"ПРИКАЗЫВАЮ: отчислить {_RU_WHOM} в связи с окончанием обучения {_RU_SINCE} и присудить "
    "степень «{{ text.degree_awarded }}»{{ ' с отличием' if data.with_honours else '' }}.",
}
ORDER_SENTENCES_KK = {
    "enrollment": f"БҰЙЫРАМЫН: {_KK_WHOM} {_KK_SINCE} {{{{ text.programme }}}} білім беру бағдарламасы "
    "бойынша {{ text.year_of_study|kk_case('dative') }}, {{ text.group }} тобына оқуға қабылдау "
    "({{ text.funding }}).",
    "transfer": f"БҰЙЫРАМЫН: {_KK_WHOM} {_KK_SINCE} ауыстыру (білім беру бағдарламасы: {{{{ text.programme }}}}; "
    "тобы: {{ text.group }}; курсы: {{ text.year_of_study }}; қаржыландыру: {{ text.funding }}).",
    "academic_leave": f"БҰЙЫРАМЫН: {_KK_TO_WHOM} {{{{ text.leave_grounds }}}} {_KK_SINCE} "
    "{{ data.end_date|date_kk|kk_case('dative') }} дейін академиялық демалыс беру.",
    "return_from_leave": f"БҰЙЫРАМЫН: {_KK_WHOM} академиялық демалыстан кейін {_KK_SINCE} оқуға жіберу "
    "(тобы: {{ text.group }}; курсы: {{ text.year_of_study }}).",
    "expulsion": f"БҰЙЫРАМЫН: {_KK_WHOM} {_KK_SINCE} оқудан шығару.",
    "reinstatement": f"БҰЙЫРАМЫН: {_KK_WHOM} {_KK_SINCE} оқуға қайта қабылдау (тобы: {{{{ text.group }}}}; "
    "курсы: {{ text.year_of_study }}).",
    "next_year": f"БҰЙЫРАМЫН: {_KK_WHOM} {_KK_SINCE} келесі курсқа ауыстыру (курсы: "
    "{{ text.year_of_study }}; тобы: {{ text.group }}).",
    "final_attestation_admission": f"БҰЙЫРАМЫН: {_KK_WHOM} {_KK_SINCE} қорытынды аттестаттауға жіберу.",
    "graduation": f"БҰЙЫРАМЫН: {_KK_WHOM} оқуды аяқтауына байланысты {_KK_SINCE} оқудан шығару және оған "
    "«{{ text.degree_awarded }}» дәрежесін{{ ' үздік дипломмен' if data.with_honours else '' }} беру.",
}
ORDER_SENTENCES_EN = {
    "enrollment": f"I ORDER: to enrol {_EN_WHOM} in {{{{ text.year_of_study }}}} of the educational programme "
    f"{{{{ text.programme }}}}, group {{{{ text.group }}}} ({{{{ text.funding }}}}), {_EN_SINCE}.",
    "transfer": f"I ORDER: to transfer {_EN_WHOM} {_EN_SINCE} (educational programme: {{{{ text.programme }}}}; "
    "group: {{ text.group }}; year of study: {{ text.year_of_study }}; funding: {{ text.funding }}).",
    "academic_leave": f"I ORDER: to grant {_EN_WHOM} academic leave {{{{ text.leave_grounds }}}} from "
    "{{ data.effective_date|date_en }} to {{ data.end_date|date_en }}.",
    "return_from_leave": f"I ORDER: to admit {_EN_WHOM} to classes after academic leave {_EN_SINCE} "
    "(group: {{ text.group }}; year of study: {{ text.year_of_study }}).",
    "expulsion": f"I ORDER: to expel {_EN_WHOM} {_EN_SINCE}.",
    "reinstatement": f"I ORDER: to reinstate {_EN_WHOM} {_EN_SINCE} (group: {{{{ text.group }}}}; "
    "year of study: {{ text.year_of_study }}).",
    "next_year": f"I ORDER: to transfer {_EN_WHOM} to the next year of study {_EN_SINCE} (year of study: "
    "{{ text.year_of_study }}; group: {{ text.group }}).",
    "final_attestation_admission": f"I ORDER: to admit {_EN_WHOM} to the final attestation {_EN_SINCE}.",
    "graduation": f"I ORDER: to graduate {_EN_WHOM} on completion of studies {_EN_SINCE} and to award the "
    "degree “{{ text.degree_awarded }}”{{ ' with honours' if data.with_honours else '' }}.",
}
ORDER_SENTENCES = {"kk": ORDER_SENTENCES_KK, "ru": ORDER_SENTENCES_RU, "en": ORDER_SENTENCES_EN}
assert ORDER_SENTENCES_KK.keys() == ORDER_SENTENCES_RU.keys() == ORDER_SENTENCES_EN.keys()
