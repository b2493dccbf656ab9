"""Reader preferences and intranet mode. (Stub; the reading site fills these in.)"""


class ScriptPreferenceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.script_preference = "hans"
        return self.get_response(request)


class LoginRequiredForReadingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
