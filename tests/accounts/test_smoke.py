def test_login_returns_tokens_and_customer(api, customer, password):
    response = api.post("/auth/login", {"email": "ADA@example.com", "password": password})
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["id"] == customer.public_id
    assert body["user"]["email"] == "ada@example.com"
    assert len(body["refresh_token"]) == 32
