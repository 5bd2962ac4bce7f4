"""What the recommendation routes and commands answer."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from loyalist.recommendations.models import Method


class PairScore(StrEnum):
    LIFT = "lift"
    COSINE = "cosine"


class NeighbourRead(BaseModel):
    sku: str
    score: float = Field(description="the requested score (lift or cosine)")
    lift: float = Field(
        description="n_ab · N / (n_a · n_b); above 1: bought together more than chance"
    )
    cosine: float = Field(description="n_ab / √(n_a · n_b), in (0, 1]")
    support: int = Field(description="baskets holding both items")


class AlsoBoughtRead(BaseModel):
    sku: str
    score: PairScore
    computed_at: datetime | None = Field(
        default=None, description="the refresh these come from; null: never"
    )
    items: list[NeighbourRead]


class RecommendationRead(BaseModel):
    sku: str
    score: float = Field(description="the method's score (popular: distinct recent buyers)")
    source: Method = Field(description="which method chose it; `popular` fills short lists")


class MemberRecommendationsRead(BaseModel):
    member_id: str
    method: Method
    computed_at: datetime | None = Field(
        default=None, description="the model's refresh; null: never"
    )
    items: list[RecommendationRead]


class FavouriteRead(BaseModel):
    orders: int = Field(description="paid, not cancelled orders holding a unit kept")
    quantity: int = Field(description="units bought and not returned")
    spend: int = Field(description="net spend in minor units of `currency`, returns deducted")
    last_bought_at: datetime
    score: float = Field(description="orders, or recency-weighted orders with a half-life")


class FavouriteProductRead(FavouriteRead):
    sku: str
    category: str | None = None


class FavouriteCategoryRead(FavouriteRead):
    category: str


class FavouritesRead(BaseModel):
    member_id: str
    currency: str
    half_life_days: float | None = None
    products: list[FavouriteProductRead]
    categories: list[FavouriteCategoryRead]


class RefreshReport(BaseModel):
    computed_at: datetime
    lines: int = Field(description="purchase lines read (paid, not cancelled orders)")
    baskets: int
    members: int
    items: int
    pairs: int = Field(description="item neighbour rows stored")
    popular: int = Field(description="items ranked by popularity")
    has_als: bool
    seconds: float
