def reading(request):
    return {}
