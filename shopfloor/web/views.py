from django.http import HttpResponse


def home(request):
    return HttpResponse("placeholder")


def facility_detail(request, pk):
    return HttpResponse("placeholder")


def source_detail(request, pk):
    return HttpResponse("placeholder")
