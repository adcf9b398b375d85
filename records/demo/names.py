"""Name material for the demo university: (Kazakh, Russian, English) spellings."""

SURNAMES = [
    ("Әбенов", "Абенов", "Abenov"),
    ("Нұрланов", "Нурланов", "Nurlanov"),
    ("Сәрсенбаев", "Сарсенбаев", "Sarsenbayev"),
    ("Жұмабеков", "Жумабеков", "Zhumabekov"),
    ("Қасымов", "Касымов", "Kassymov"),
    ("Оразбаев", "Оразбаев", "Orazbayev"),
    ("Тоқтаров", "Токтаров", "Toktarov"),
    ("Есенов", "Есенов", "Yessenov"),
    ("Мұхаметов", "Мухаметов", "Mukhametov"),
    ("Бекқожин", "Беккожин", "Bekkozhin"),
    ("Ахметов", "Ахметов", "Akhmetov"),
    ("Серікбаев", "Серикбаев", "Serikbayev"),
    ("Өмірзақов", "Омирзаков", "Omirzakov"),
    ("Ғабитов", "Габитов", "Gabitov"),
    ("Иванов", "Иванов", "Ivanov"),
    ("Ким", "Ким", "Kim"),
    ("Смағұлов", "Смагулов", "Smagulov"),
    ("Төлегенов", "Толегенов", "Tolegenov"),
    ("Ділдәбеков", "Дилдабеков", "Dildabekov"),
    ("Шәкенов", "Шакенов", "Shakenov"),
]
MALE_FIRST = [
    ("Айбек", "Айбек", "Aibek"),
    ("Нұрсұлтан", "Нурсултан", "Nursultan"),
    ("Ерлан", "Ерлан", "Yerlan"),
    ("Дәурен", "Даурен", "Dauren"),
    ("Асқар", "Аскар", "Askar"),
    ("Бауыржан", "Бауыржан", "Bauyrzhan"),
    ("Тимур", "Тимур", "Timur"),
    ("Ғалым", "Галым", "Galym"),
    ("Мақсат", "Максат", "Maksat"),
    ("Алихан", "Алихан", "Alikhan"),
]
FEMALE_FIRST = [
    ("Әйгерім", "Айгерим", "Aigerim"),
    ("Гүлнар", "Гульнар", "Gulnar"),
    ("Дана", "Дана", "Dana"),
    ("Жанар", "Жанар", "Zhanar"),
    ("Меруерт", "Меруерт", "Meruyert"),
    ("Аружан", "Аружан", "Aruzhan"),
    ("Салтанат", "Салтанат", "Saltanat"),
    ("Әсел", "Асель", "Assel"),
    ("Інжу", "Инжу", "Inzhu"),
    ("Томирис", "Томирис", "Tomiris"),
]
FATHERS = [
    ("Серікұлы", "Серикович"),
    ("Болатұлы", "Болатович"),
    ("Маратұлы", "Маратович"),
    ("Қайратұлы", "Кайратович"),
    ("Ержанұлы", "Ержанович"),
]
FACULTIES = [
    ("fac-it", "Ақпараттық технологиялар факультеті", "Факультет информационных технологий", "Faculty of Information Technology"),
    ("fac-eng", "Инженерлік факультет", "Инженерный факультет", "Faculty of Engineering"),
    ("fac-econ", "Экономика және құқық факультеті", "Факультет экономики и права", "Faculty of Economics and Law"),
]
DEPARTMENTS = [
    ("fac-it", "dep-cs", "Есептеуіш техника кафедрасы", "Кафедра вычислительной техники", "Department of Computer Engineering"),
    ("fac-it", "dep-is", "Ақпараттық жүйелер кафедрасы", "Кафедра информационных систем", "Department of Information Systems"),
    ("fac-it", "dep-math", "Математика кафедрасы", "Кафедра математики", "Department of Mathematics"),
    ("fac-eng", "dep-energy", "Энергетика кафедрасы", "Кафедра энергетики", "Department of Power Engineering"),
    ("fac-eng", "dep-civil", "Құрылыс кафедрасы", "Кафедра строительства", "Department of Civil Engineering"),
    ("fac-eng", "dep-mech", "Машина жасау кафедрасы", "Кафедра машиностроения", "Department of Mechanical Engineering"),
    ("fac-econ", "dep-econ", "Экономика кафедрасы", "Кафедра экономики", "Department of Economics"),
    ("fac-econ", "dep-law", "Құқықтану кафедрасы", "Кафедра юриспруденции", "Department of Law"),
]
PROGRAMMES = [
    ("dep-cs", "6B06102", "bachelor", "Есептеуіш техника және бағдарламалық қамтамасыз ету", "Вычислительная техника и программное обеспечение", "Computer Engineering and Software"),
    ("dep-cs", "7M06102", "master", "Есептеуіш техника (магистратура)", "Вычислительная техника (магистратура)", "Computer Engineering (Master)"),
    ("dep-is", "6B06101", "bachelor", "Ақпараттық жүйелер", "Информационные системы", "Information Systems"),
    ("dep-math", "6B05401", "bachelor", "Математика", "Математика", "Mathematics"),
    ("dep-energy", "6B07101", "bachelor", "Электр энергетикасы", "Электроэнергетика", "Electric Power Engineering"),
    ("dep-civil", "6B07301", "bachelor", "Құрылыс", "Строительство", "Civil Engineering"),
    ("dep-mech", "6B07102", "bachelor", "Машина жасау", "Машиностроение", "Mechanical Engineering"),
    ("dep-econ", "6B04101", "bachelor", "Экономика", "Экономика", "Economics"),
    ("dep-econ", "6B04102", "bachelor", "Қаржы", "Финансы", "Finance"),
    ("dep-law", "6B04201", "bachelor", "Құқықтану", "Юриспруденция", "Law"),
    ("dep-law", "7M04201", "master", "Құқықтану (магистратура)", "Юриспруденция (магистратура)", "Law (Master)"),
]
