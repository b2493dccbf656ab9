"""Reading pages. (Stub; the reading site fills these in.)"""

from django.http import HttpResponse


def home(request):
    return HttpResponse("Anthology")


theme_detail = collection_detail = essay_detail = author_detail = home
